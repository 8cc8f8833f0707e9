import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, Role } from '@sodertorn/auth';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import { IDEMPOTENCY_KEY_ARG, idempotentStep } from '../idempotency/idempotency';
import { cancel, markAccepted, markOffered, recordMoveIn, recordPlacementEnd, reopen } from './placement-request-lifecycle.service';
import { CreatePlacementRequestInput } from './placement-request.inputs';
import { placementRequestCodec, type PlacementRequestRecord } from './placement-request.record';
import { createPlacementRequest } from './placement-request.service';
import { PlacementRequestType } from './placement-request.type';

/** Runs one lifecycle step under its idempotency key. */
const step = idempotentStep(placementRequestCodec);

/**
 * The sending municipality's side of a placement: it owns the request and its
 * status. The regional orchestrator moves it along with a service token; the
 * caseworker opens it, records the move-in and the end, or cancels it.
 */
@Resolver(() => PlacementRequestType)
export class PlacementRequestLifecycleResolver {
  @Mutation(() => PlacementRequestType, {
    description: 'Opens a placement request (status OPEN) for a participant still in the programme with no other request in progress',
  })
  @MunicipalityArg()
  async createPlacementRequest(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('input', () => CreatePlacementRequestInput) input: CreatePlacementRequestInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: `${IDEMPOTENCY_KEY_ARG.description} Optional here: without a key a retry is refused, since the participant then already has a request in progress.`,
    })
    idempotencyKey: string | null,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    const work = (tx: EntityManager) => createPlacementRequest(tx, participantId, input);
    if (idempotencyKey === null || idempotencyKey === undefined) return ctx.em.transactional(work);
    return step(ctx, 'createPlacementRequest', idempotencyKey, { participantId, input }, work);
  }

  @Mutation(() => PlacementRequestType, { description: 'OPEN → OFFERED: places are held for the request in the regional placement placementId' })
  @MunicipalityArg()
  async markPlacementRequestOffered(
    @Arg('id', () => ID) id: string,
    @Arg('placementId', () => ID) placementId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'markPlacementRequestOffered', idempotencyKey, { id, placementId }, (tx) => markOffered(tx, id, placementId));
  }

  @Mutation(() => PlacementRequestType, { description: 'OFFERED or ACCEPTED → OPEN (declined, expired or withdrawn); clears placementId' })
  @MunicipalityArg()
  async reopenPlacementRequest(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'reopenPlacementRequest', idempotencyKey, { id }, (tx) => reopen(tx, id));
  }

  @Mutation(() => PlacementRequestType, { description: 'OFFERED → ACCEPTED' })
  @MunicipalityArg()
  async markPlacementRequestAccepted(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'markPlacementRequestAccepted', idempotencyKey, { id }, (tx) => markAccepted(tx, id));
  }

  @Mutation(() => PlacementRequestType, { description: 'ACCEPTED → ACTIVE: the participant has moved in; their phase becomes PLACED' })
  @MunicipalityArg()
  async recordMoveIn(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'recordMoveIn', idempotencyKey, { id }, (tx) => recordMoveIn(tx, id));
  }

  @Mutation(() => PlacementRequestType, { description: 'ACTIVE → ENDED: the participant has moved out' })
  @MunicipalityArg()
  async recordPlacementEnd(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'recordPlacementEnd', idempotencyKey, { id }, (tx) => recordPlacementEnd(tx, id));
  }

  @Mutation(() => PlacementRequestType, {
    description: 'Any status but ENDED and CANCELLED → CANCELLED; a request a regional placement is using is cancelled through the region (cancelPlacement)',
  })
  @MunicipalityArg()
  async cancelPlacementRequest(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<PlacementRequestRecord> {
    return step(ctx, 'cancelPlacementRequest', idempotencyKey, { id }, (tx) => cancel(tx, id, { byRegion: hasRole(ctx.identity, Role.SERVICE) }));
  }
}
