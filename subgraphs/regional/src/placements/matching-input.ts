import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import type { HousingKind, MatchRequest, MatchUnit, UrgencyLevel } from '../matching';
import type { ShardClient } from './shard-client';

export interface MatchingInput {
  requests: MatchRequest[];
  units: MatchUnit[];
  /** The period over which each unit's free places were counted (`to` exclusive). */
  horizon: { from: string; to: string };
  covered: string[];
  unreachable: string[];
}

interface ShardRequest {
  id: string;
  urgency: UrgencyLevel;
  waitingDays: number;
  householdSize: number;
  children: number;
  needsWheelchairAccess: boolean;
  allowedKinds: HousingKind[];
  excludedMunicipalities: string[];
  earliestStart: string;
  expectedDurationDays: number;
}

interface ShardUnit {
  id: string;
  kind: HousingKind;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
  freePlaces: number;
}

/** Longest period a unit's free places are counted over (the shards cap a period at 731 days). */
const MAX_HORIZON_DAYS = 731;

/**
 * Gathers every open request and every available unit of the region, straight
 * from the shards with the region's service token: pseudonymous profiles and
 * address-free units only. Free places are counted over one horizon covering
 * every request's stay, so a unit never looks freer than it is for any of them.
 * A shard that does not answer is left out and named.
 */
export async function gatherMatchingInput(client: ShardClient): Promise<MatchingInput> {
  const codes = client.codes();
  const unreachable = new Set<string>();
  const requestsByCode = await Promise.all(
    codes.map(async (code) => {
      try {
        const data = await client.call<{ myMunicipality: { placementRequests: ShardRequest[] | null } }>(
          code,
          `query($code: ID) { myMunicipality(municipalityCode: $code) { placementRequests(statuses: [OPEN]) {
             id urgency waitingDays householdSize children needsWheelchairAccess allowedKinds excludedMunicipalities earliestStart expectedDurationDays } } }`,
          { code },
        );
        return (data.myMunicipality.placementRequests ?? []).map((r) => toMatchRequest(code, r));
      } catch {
        unreachable.add(code);
        return [];
      }
    }),
  );
  const requests = requestsByCode.flat();
  const today = todayInStockholm();
  const from = requests.reduce((min, r) => (r.earliestStart < min ? r.earliestStart : min), requests[0]?.earliestStart ?? today);
  const lastEnd = requests.reduce((max, r) => {
    const end = addDays(r.earliestStart, r.durationDays);
    return end > max ? end : max;
  }, addDays(from, 1));
  const to = lastEnd > addDays(from, MAX_HORIZON_DAYS) ? addDays(from, MAX_HORIZON_DAYS) : lastEnd;

  const unitsByCode = await Promise.all(
    codes.filter((code) => !unreachable.has(code)).map(async (code) => {
      try {
        const data = await client.call<{ myMunicipality: { housingUnits: ShardUnit[] | null } }>(
          code,
          `query($code: ID, $from: LocalDate!, $to: LocalDate!) { myMunicipality(municipalityCode: $code) {
             housingUnits(filter: { statuses: [AVAILABLE] }) { id kind wheelchairAccessible suitableForChildren freePlaces(from: $from, to: $to) } } }`,
          { code, from, to },
        );
        return (data.myMunicipality.housingUnits ?? []).filter((u) => u.freePlaces > 0).map((u) => ({ ref: `${code}:${u.id}`, municipalityCode: code, ...withoutId(u) }));
      } catch {
        unreachable.add(code);
        return [];
      }
    }),
  );
  return {
    requests: requests.filter((r) => !unreachable.has(r.municipalityCode)),
    units: unitsByCode.flat(),
    horizon: { from, to },
    covered: codes.filter((c) => !unreachable.has(c)),
    unreachable: [...unreachable].sort(),
  };
}

function toMatchRequest(code: string, r: ShardRequest): MatchRequest {
  return {
    ref: `${code}:${r.id}`,
    municipalityCode: code,
    urgency: r.urgency,
    waitingDays: r.waitingDays,
    householdSize: r.householdSize,
    children: r.children,
    needsWheelchairAccess: r.needsWheelchairAccess,
    allowedKinds: r.allowedKinds,
    excludedMunicipalities: r.excludedMunicipalities,
    earliestStart: r.earliestStart,
    durationDays: r.expectedDurationDays,
  };
}

function withoutId(unit: ShardUnit): Omit<MatchUnit, 'ref' | 'municipalityCode'> {
  return { kind: unit.kind, wheelchairAccessible: unit.wheelchairAccessible, suitableForChildren: unit.suitableForChildren, freePlaces: unit.freePlaces };
}

/** "0126:<uuid>" → its parts. */
export function splitRef(ref: string): { municipalityCode: string; id: string } {
  const [municipalityCode, id] = ref.split(':') as [string, string];
  return { municipalityCode, id };
}
