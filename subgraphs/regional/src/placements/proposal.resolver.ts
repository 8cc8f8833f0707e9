import { ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { bestUnitsFor, proposePlacements, type RankedUnit } from '../matching';
import { gatherMatchingInput, splitRef } from './matching-input';
import { unitsForBatch, unitsForRequest } from './stay-capacity';
import { PlacementProposalsType, RankedUnitType } from './proposal.type';

@Resolver()
export class ProposalResolver {
  @Query(() => PlacementProposalsType, {
    description:
      "Optimises every open request of the region against every free place, as one batch, counting each unit's free places over each request's own stay. " +
      'Proposes only; offer with offerPlacement.',
  })
  async proposePlacements(@Ctx() { shards }: RegionalContext): Promise<PlacementProposalsType> {
    const input = await gatherMatchingInput(shards);
    const { units, unitRefOf } = unitsForBatch(input.requests, input.units);
    const result = await proposePlacements(input.requests, units);
    return {
      proposals: result.proposals.map((p) => ({ ...ranked({ ...p, unitRef: unitRefOf.get(p.unitRef) ?? p.unitRef }), request: splitRef(p.requestRef) })),
      unmatched: result.unmatched.map((u) => ({ request: splitRef(u.requestRef), reason: u.reason, explanation: u.explanation })),
      objective: result.objective,
      optimal: result.optimal,
      upperBound: result.upperBound,
      horizonFrom: input.horizon.from,
      horizonTo: input.horizon.to,
      municipalitiesCovered: input.covered,
      unreachable: input.unreachable,
    };
  }

  @Query(() => [RankedUnitType], { description: 'The best units of the region for one open request, each with its explanation' })
  async bestUnitsFor(
    @Arg('requestMunicipality', () => ID) requestMunicipality: string,
    @Arg('requestId', () => ID) requestId: string,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
    @Ctx() { shards }: RegionalContext,
  ): Promise<RankedUnitType[]> {
    if (limit < 1 || limit > 100) throw ValidationFailedError.of('limit', 'must be between 1 and 100');
    const input = await gatherMatchingInput(shards);
    const request = input.requests.find((r) => r.ref === `${requestMunicipality}:${requestId}`);
    if (!request) throw ValidationFailedError.of('requestId', 'no open placement request with this id in that municipality');
    return bestUnitsFor(request, unitsForRequest(request, input.units), limit).map(ranked);
  }
}

function ranked(unit: RankedUnit): RankedUnitType {
  return { unit: splitRef(unit.unitRef), score: unit.score, scoreParts: unit.parts, constraintsMet: unit.constraintsMet, scoreNotes: unit.scoreNotes };
}
