import { todayInStockholm } from '@sodertorn/service-kit';
import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { ShardContext } from '../context';
import type { Participant } from '../participants/participant.entity';
import { ageBand } from '@sodertorn/statistics';
import { caseReference } from './case-reference';
import type { PlacementRequestRecord } from './placement-request.record';
import { waitingDays } from './placement-request.service';
import { PlacementRequestType } from './placement-request.type';

/**
 * The cross-border view of a placement request: a pseudonymous reference and a
 * coarse needs profile derived from the participant, never the participant.
 */
@Resolver(() => PlacementRequestType)
export class PlacementRequestResolver {
  @FieldResolver(() => ID)
  municipalityCode(@Ctx() ctx: ShardContext): string {
    return ctx.municipalityCode;
  }

  @FieldResolver(() => String)
  caseReference(@Root() request: PlacementRequestRecord, @Ctx() ctx: ShardContext): string {
    return caseReference(ctx.caseReferenceKey, request.id);
  }

  @FieldResolver(() => String)
  async ageBand(@Root() request: PlacementRequestRecord, @Ctx() ctx: ShardContext): Promise<string> {
    return ageBand((await participantOf(request, ctx)).birthDate, todayInStockholm());
  }

  @FieldResolver(() => Int)
  async householdSize(@Root() request: PlacementRequestRecord, @Ctx() ctx: ShardContext): Promise<number> {
    const participant = await participantOf(request, ctx);
    return participant.householdAdults + participant.householdChildren;
  }

  @FieldResolver(() => Int)
  async children(@Root() request: PlacementRequestRecord, @Ctx() ctx: ShardContext): Promise<number> {
    return (await participantOf(request, ctx)).householdChildren;
  }

  @FieldResolver(() => Int)
  waitingDays(@Root() request: PlacementRequestRecord): number {
    return waitingDays(request.createdAt);
  }

  @FieldResolver(() => [ID])
  async excludedMunicipalities(@Root() request: PlacementRequestRecord, @Ctx() ctx: ShardContext): Promise<string[]> {
    const participant = await participantOf(request, ctx);
    return [...new Set([ctx.municipalityCode, ...participant.excludedMunicipalities])].sort();
  }
}

/** Loaded inside this deployment only; none of its personal fields leave through this type. */
async function participantOf(request: PlacementRequestRecord, ctx: ShardContext): Promise<Participant> {
  return (await ctx.loaders.participant.load(request.participant.id))!;
}
