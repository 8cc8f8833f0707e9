import { addDays } from '@sodertorn/service-kit';
import { isFeasible, type MatchRequest, type MatchUnit } from '../matching';

/** Days in a row with the same number of free places in a unit, `to` exclusive (the shard's FreePlaceRun). */
export interface FreePlaceRun {
  from: string;
  to: string;
  freePlaces: number;
}

/** A unit of the region with its free places day by day, as the shard counted them; no address. */
export type ProfiledUnit = Omit<MatchUnit, 'freePlaces' | 'availableFrom' | 'availableUntil'> & { runs: readonly FreePlaceRun[] };

/** A request's stay: the days an offer would hold, earliestStart up to, not including, the day of moving out. */
export function stayOf(request: MatchRequest): { from: string; to: string } {
  return { from: request.earliestStart, to: addDays(request.earliestStart, Math.max(1, request.durationDays)) };
}

/** The places free on every day from `from` up to `to`; a day the runs do not cover counts as none free. */
export function freeOver(runs: readonly FreePlaceRun[], { from, to }: { from: string; to: string }): number {
  let least = Infinity;
  let covered = from;
  for (const run of runs) {
    if (run.to <= from || run.from >= to) continue;
    if (run.from > covered) return 0;
    least = Math.min(least, run.freePlaces);
    if (run.to > covered) covered = run.to;
  }
  return covered >= to ? least : 0;
}

function asMatchUnit({ runs: _runs, ...unit }: ProfiledUnit, freePlaces: number, extra: Partial<MatchUnit> = {}): MatchUnit {
  return { ...unit, freePlaces, ...extra };
}

/** Each unit for one request alone (bestUnitsFor): its places free over that request's own stay. */
export function unitsForRequest(request: MatchRequest, units: readonly ProfiledUnit[]): MatchUnit[] {
  const stay = stayOf(request);
  return units.map((unit) => asMatchUnit(unit, freeOver(unit.runs, stay))).filter((unit) => unit.freePlaces > 0);
}

/**
 * The units as the batch matching sees them, each counted over the stays of the
 * requests that could use it, never over one window for the whole batch (issue
 * #10: a request two years ahead made every unit look full today).
 *
 * The engine is exact for one capacity per unit: households placed in a unit
 * sum to at most its free places. Stays differ, so a unit is offered once per
 * group of its candidate stays that overlap (chained: a group ends at a day no
 * stay of it covers):
 * - requests in different groups never share a day, so each group gets its own
 *   copy of the unit (`availableFrom`/`availableUntil` bound it to the group's
 *   days, and so to the group's requests);
 * - within a group the copy's capacity is the least number of places free on
 *   any day of the group, so whatever the engine places there fits every day:
 *   the matching never over-books a day, and stays exact for that capacity.
 * The price: within a group, a long stay over a busier stretch lowers the
 *   capacity for a short stay over a quieter one (a daily model would let both
 *   in). Groups are small where stays are spread out, which is where one window
 *   failed; the alternative, a capacity row per unit and day in the engine's
 *   column generation, bound and MIP, is a rewrite of the engine.
 * A candidate is a request that meets every constraint of the unit over its
 * own stay, so a request that could never use the unit does not narrow it.
 * Copies are named `<unit ref>@<first day>` when a unit has more than one;
 * `unitRefOf` maps every engine ref back to the unit's.
 */
export function unitsForBatch(requests: readonly MatchRequest[], units: readonly ProfiledUnit[]): { units: MatchUnit[]; unitRefOf: Map<string, string> } {
  const stays = new Map(requests.map((request) => [request.ref, stayOf(request)]));
  const offered: MatchUnit[] = [];
  const unitRefOf = new Map<string, string>();
  for (const unit of units) {
    const candidates = requests
      .map((request) => ({ stay: stays.get(request.ref)!, free: freeOver(unit.runs, stays.get(request.ref)!), request }))
      .filter(({ request, free }) => isFeasible(request, asMatchUnit(unit, free)))
      .sort((a, b) => (a.stay.from < b.stay.from ? -1 : a.stay.from > b.stay.from ? 1 : 0));
    const groups: { from: string; to: string; free: number }[] = [];
    for (const { stay, free } of candidates) {
      const last = groups[groups.length - 1];
      if (last && stay.from < last.to) {
        if (stay.to > last.to) last.to = stay.to;
        last.free = Math.min(last.free, free);
      } else groups.push({ ...stay, free });
    }
    for (const group of groups) {
      const ref = groups.length === 1 ? unit.ref : `${unit.ref}@${group.from}`;
      unitRefOf.set(ref, unit.ref);
      offered.push(asMatchUnit(unit, group.free, { ref, availableFrom: group.from, availableUntil: group.to }));
    }
  }
  return { units: offered, unitRefOf };
}
