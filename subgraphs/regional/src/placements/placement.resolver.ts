import { assertDate, todayInStockholm } from '@sodertorn/service-kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import type { RegionalContext } from '../context';
import { RegisteredMunicipality } from '../region/registered-municipality.entity';
import { assertParty, canSee, PLACEMENT_VIEWERS, STEP_RULES, stepAsParty, visiblePlacements } from './placement-access';
import { PlacementEvent } from './placement-event.entity';
import { Placement } from './placement.entity';
import { PlacementReason, PlacementStatus } from './placement.enums';
import { IDEMPOTENCY_KEY_ARG, OfferPlacementInput } from './placement.inputs';
import { findPlacement } from './placement-saga';
import { BookingRef, HousingUnitRef, PlacementEventType, PlacementRequestRef, PlacementType } from './placement.type';
import { MunicipalityRef } from '../region/region.type';

@Resolver(() => PlacementType)
export class PlacementResolver {
  @Query(() => [PlacementType], { description: 'Placements you are a party to (coordinators: all), newest first' })
  async placements(
    @Arg('statuses', () => [PlacementStatus], { nullable: true }) statuses: PlacementStatus[] | null,
    @Ctx() { em, identity }: RegionalContext,
  ): Promise<Placement[]> {
    const visible = visiblePlacements(identity);
    if (!visible) return [];
    return em.find(Placement, { $and: [visible, statuses ? { status: { $in: statuses } } : {}] }, { orderBy: { createdAt: 'desc' }, limit: 500 });
  }

  @Query(() => PlacementType)
  async placement(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: RegionalContext): Promise<Placement> {
    const placement = await findPlacement(em, id);
    assertParty(canSee(identity, placement), 'see', PLACEMENT_VIEWERS);
    return placement;
  }

  @Mutation(() => PlacementType, { description: "Holds the unit's places for the request and marks the request offered (coordinators)" })
  async offerPlacement(
    @Arg('input', () => OfferPlacementInput) input: OfferPlacementInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() { em, identity, saga }: RegionalContext,
  ): Promise<Placement> {
    return saga.offer(em, input, identity!.sub, idempotencyKey);
  }

  @Mutation(() => PlacementType, { description: 'The receiving housing manager accepts: the booking is confirmed' })
  async acceptPlacement(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) key: string,
    @Ctx() ctx: RegionalContext,
  ): Promise<Placement> {
    return stepAsParty(ctx, id, STEP_RULES.accept, (placement, actor) => ctx.saga.accept(ctx.em, placement, actor, key));
  }

  @Mutation(() => PlacementType, { description: 'Declines an offer: the places are released and the request is open again' })
  async declinePlacement(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) key: string,
    @Arg('reason', () => PlacementReason, { nullable: true }) reason: PlacementReason | null | undefined,
    @Ctx() ctx: RegionalContext,
  ): Promise<Placement> {
    return stepAsParty(ctx, id, STEP_RULES.decline, (placement, actor) => ctx.saga.decline(ctx.em, placement, actor, key, reason ?? null));
  }

  @Mutation(() => PlacementType, { description: 'The sending caseworker records that the participant moved in' })
  async recordPlacementMoveIn(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) key: string,
    @Ctx() ctx: RegionalContext,
  ): Promise<Placement> {
    return stepAsParty(ctx, id, STEP_RULES.moveIn, (placement, actor) => ctx.saga.moveIn(ctx.em, placement, actor, key));
  }

  @Mutation(() => PlacementType, {
    description: 'Ends an active placement; the places are free again from endsOn (default today; from 2000-01-01 to three years ahead)',
  })
  async endPlacement(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) key: string,
    @Arg('endsOn', () => LocalDateResolver, { nullable: true }) endsOn: string | null,
    @Ctx() ctx: RegionalContext,
  ): Promise<Placement> {
    if (endsOn != null) assertDate({ field: 'endsOn', value: endsOn });
    return stepAsParty(ctx, id, STEP_RULES.end, (placement, actor) => ctx.saga.end(ctx.em, placement, actor, key, endsOn ?? todayInStockholm()));
  }

  @Mutation(() => PlacementType, { description: 'Cancels before the move-in: releases what was held and opens the request again' })
  async cancelPlacement(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) key: string,
    @Arg('reason', () => PlacementReason, { nullable: true }) reason: PlacementReason | null | undefined,
    @Ctx() ctx: RegionalContext,
  ): Promise<Placement> {
    return stepAsParty(ctx, id, STEP_RULES.cancel, (placement, actor) => ctx.saga.cancel(ctx.em, placement, actor, key, reason ?? null));
  }

  @FieldResolver(() => PlacementStatus, { nullable: true })
  pendingStep(@Root() p: Placement): PlacementStatus | null {
    return p.pendingStep?.to ?? null;
  }

  @FieldResolver(() => PlacementRequestRef)
  request(@Root() p: Placement): PlacementRequestRef {
    return { municipalityCode: p.sendingMunicipality, id: p.requestId };
  }

  @FieldResolver(() => HousingUnitRef)
  unit(@Root() p: Placement): HousingUnitRef {
    return { municipalityCode: p.receivingMunicipality, id: p.unitId };
  }

  @FieldResolver(() => BookingRef, { nullable: true })
  booking(@Root() p: Placement): BookingRef | null {
    return p.bookingId ? { municipalityCode: p.receivingMunicipality, id: p.bookingId } : null;
  }

  @FieldResolver(() => MunicipalityRef)
  async sendingMunicipality(@Root() p: Placement, @Ctx() { em }: RegionalContext): Promise<RegisteredMunicipality> {
    return em.findOneOrFail(RegisteredMunicipality, { code: p.sendingMunicipality });
  }

  @FieldResolver(() => MunicipalityRef)
  async receivingMunicipality(@Root() p: Placement, @Ctx() { em }: RegionalContext): Promise<RegisteredMunicipality> {
    return em.findOneOrFail(RegisteredMunicipality, { code: p.receivingMunicipality });
  }

  @FieldResolver(() => [PlacementEventType])
  async history(@Root() p: Placement, @Ctx() { em }: RegionalContext): Promise<PlacementEvent[]> {
    return em.find(PlacementEvent, { placementId: p.id }, { orderBy: { id: 'asc' } });
  }
}
