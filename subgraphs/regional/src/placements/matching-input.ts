import { addDays, latestDate, MAX_PERIOD_DAYS, todayInStockholm } from '@sodertorn/service-kit';
import type { MatchRequest } from '../matching';
import type { ShardClient } from '@sodertorn/shard-client';
import { availableUnitsDocument, MunicipalDocuments, type OpenPlacementRequestsQuery, type UnitWithRuns } from '../municipal-documents';
import { stayOf, type ProfiledUnit } from './stay-capacity';

export interface MatchingInput {
  requests: MatchRequest[];
  /** Every available unit with its free places day by day over `horizon`. */
  units: ProfiledUnit[];
  /** The days the requests' stays cover, first day to the day after the last (`to` exclusive). */
  horizon: { from: string; to: string };
  covered: string[];
  unreachable: string[];
}

/** An open request's profile as its shard shares it. */
type ShardRequest = NonNullable<OpenPlacementRequestsQuery['myMunicipality']['placementRequests']>[number];

/**
 * Gathers every open request and every available unit of the region, straight
 * from the shards with the region's service token: pseudonymous profiles and
 * address-free units only. Each unit comes with its free places day by day over
 * the days any request's stay covers (as runs, in pieces of at most
 * MAX_PERIOD_DAYS, the shards' limit), so that each request's free places can be
 * counted over its own stay (stay-capacity.ts). A shard that does not answer is
 * left out and named.
 */
export async function gatherMatchingInput(client: ShardClient): Promise<MatchingInput> {
  const codes = client.codes();
  const unreachable = new Set<string>();
  const requestsByCode = await Promise.all(
    codes.map(async (code) => {
      try {
        const data = await client.request(code, MunicipalDocuments.OpenPlacementRequests, { code });
        return (data.myMunicipality.placementRequests ?? []).map((r) => toMatchRequest(code, r));
      } catch {
        unreachable.add(code);
        return [];
      }
    }),
  );
  const requests = requestsByCode.flat();
  const horizon = horizonOf(requests);
  const pieces = piecesOf(horizon);
  const availableUnits = availableUnitsDocument(pieces.length);
  const periodVariables = Object.fromEntries(
    pieces.flatMap((piece, i) => [
      [`from${i}`, piece.from],
      [`to${i}`, piece.to],
    ]),
  );

  const unitsByCode = await Promise.all(
    codes
      .filter((code) => !unreachable.has(code))
      .map(async (code) => {
        try {
          const data = await client.request(code, availableUnits, { code, ...periodVariables });
          return (data.myMunicipality.housingUnits ?? []).map((unit) => toProfiledUnit(code, unit, pieces.length));
        } catch {
          unreachable.add(code);
          return [];
        }
      }),
  );
  return {
    requests: requests.filter((r) => !unreachable.has(r.municipalityCode)),
    units: unitsByCode.flat(),
    horizon,
    covered: codes.filter((c) => !unreachable.has(c)),
    unreachable: [...unreachable].sort(),
  };
}

/**
 * The days the stays cover, from the first stay's first day to the last one's
 * day of moving out (today alone when there are none), within two years before
 * today and two years after the latest start the API accepts: a few pieces at
 * most. A request kept from before the date rules (a stay in 1900) is not
 * counted over decades: days outside count as none free, so it gets no unit.
 */
function horizonOf(requests: readonly MatchRequest[]): { from: string; to: string } {
  const today = todayInStockholm();
  if (requests.length === 0) return { from: today, to: addDays(today, 1) };
  const stays = requests.map(stayOf);
  const first = stays.reduce((min, s) => (s.from < min ? s.from : min), stays[0]!.from);
  const last = stays.reduce((max, s) => (s.to > max ? s.to : max), stays[0]!.to);
  const [earliest, latest] = [addDays(today, -MAX_PERIOD_DAYS), addDays(latestDate(today), MAX_PERIOD_DAYS)];
  const from = first < earliest ? earliest : first > latest ? latest : first;
  const to = last > latest ? latest : last <= from ? addDays(from, 1) : last;
  return { from, to };
}

/** The horizon cut into periods of at most MAX_PERIOD_DAYS, the longest a shard counts over in one go. */
function piecesOf({ from, to }: { from: string; to: string }): { from: string; to: string }[] {
  const pieces: { from: string; to: string }[] = [];
  for (let start = from; start < to;) {
    const end = addDays(start, MAX_PERIOD_DAYS) < to ? addDays(start, MAX_PERIOD_DAYS) : to;
    pieces.push({ from: start, to: end });
    start = end;
  }
  return pieces;
}

function toProfiledUnit(code: string, unit: UnitWithRuns, pieces: number): ProfiledUnit {
  const runs = Array.from({ length: pieces }, (_, i) => unit[`r${i}`] ?? []).flat();
  return {
    ref: `${code}:${unit.id}`,
    municipalityCode: code,
    kind: unit.kind,
    wheelchairAccessible: unit.wheelchairAccessible,
    suitableForChildren: unit.suitableForChildren,
    runs,
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

/** "0126:<uuid>" → its parts. */
export function splitRef(ref: string): { municipalityCode: string; id: string } {
  const [municipalityCode, id] = ref.split(':') as [string, string];
  return { municipalityCode, id };
}
