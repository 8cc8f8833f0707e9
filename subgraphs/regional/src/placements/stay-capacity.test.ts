import { addDays } from '@sodertorn/service-kit';
import { proposePlacements, type MatchRequest } from '../matching';
import { prng as seededRandom } from '@sodertorn/testing';
import { freeOver, unitsForBatch, unitsForRequest, type FreePlaceRun, type ProfiledUnit } from './stay-capacity';

const DAY0 = '2027-01-01';
const day = (n: number) => addDays(DAY0, n);

function request(ref: string, start: number, days: number, overrides: Partial<MatchRequest> = {}): MatchRequest {
  return {
    ref,
    municipalityCode: '0126',
    urgency: 'NORMAL',
    waitingDays: 5,
    householdSize: 1,
    children: 0,
    needsWheelchairAccess: false,
    allowedKinds: ['PROTECTED'],
    excludedMunicipalities: ['0126'],
    earliestStart: day(start),
    durationDays: days,
    ...overrides,
  };
}

/** A unit with `free[d]` places free on day d (from DAY0), written as runs the way a shard sends them. */
function unit(ref: string, free: readonly number[]): ProfiledUnit {
  const runs: FreePlaceRun[] = [];
  free.forEach((places, d) => {
    const last = runs[runs.length - 1];
    if (last && last.freePlaces === places) last.to = day(d + 1);
    else runs.push({ from: day(d), to: day(d + 1), freePlaces: places });
  });
  return { ref, municipalityCode: '0138', kind: 'PROTECTED', wheelchairAccessible: false, suitableForChildren: false, runs };
}

describe("Free places over each request's own stay", () => {
  describe('freeOver', () => {
    const runs = unit('u', [2, 2, 0, 3, 3, 1]).runs;
    it.each([
      [0, 2, 2],
      [0, 3, 0],
      [3, 5, 3],
      [3, 6, 1],
      [5, 6, 1],
      [4, 8, 0], // beyond the runs: not known to be free
    ])('from day %i to day %i (exclusive): %i', (from, to, expected) => {
      expect(freeOver(runs, { from: day(from), to: day(to) })).toBe(expected);
    });

    it('counts a gap between runs as no place free', () => {
      expect(
        freeOver(
          [
            { from: day(0), to: day(2), freePlaces: 2 },
            { from: day(3), to: day(5), freePlaces: 2 },
          ],
          { from: day(1), to: day(4) },
        ),
      ).toBe(0);
    });
  });

  it('offers a unit once per group of overlapping stays, each with the places free over its own days', () => {
    // Free now, full for days 10–19, free again after.
    const u = unit('0138:u', [...Array(10).fill(1), ...Array(10).fill(0), ...Array(20).fill(1)]);
    const { units, unitRefOf } = unitsForBatch(
      [request('0126:now', 0, 8), request('0127:later', 25, 10, { municipalityCode: '0127', excludedMunicipalities: ['0127'] })],
      [u],
    );
    expect(units.map(({ ref, freePlaces, availableFrom, availableUntil }) => ({ ref, freePlaces, availableFrom, availableUntil }))).toEqual([
      { ref: `0138:u@${day(0)}`, freePlaces: 1, availableFrom: day(0), availableUntil: day(8) },
      { ref: `0138:u@${day(25)}`, freePlaces: 1, availableFrom: day(25), availableUntil: day(35) },
    ]);
    expect([...unitRefOf.values()]).toEqual(['0138:u', '0138:u']);
  });

  it('leaves out a request that cannot use the unit over its own stay, so it does not narrow the unit for others', () => {
    const u = unit('0138:u', [...Array(10).fill(2), ...Array(30).fill(0)]);
    const { units } = unitsForBatch([request('0126:now', 0, 5), request('0126:blocked', 3, 20)], [u]);
    expect(units).toEqual([expect.objectContaining({ ref: '0138:u', freePlaces: 2, availableFrom: day(0), availableUntil: day(5) })]);
  });

  it('gives one request alone the places free over its stay', () => {
    const u = unit('0138:u', [3, 3, 1, 3]);
    expect(unitsForRequest(request('0126:a', 0, 2), [u]).map((m) => m.freePlaces)).toEqual([3]);
    expect(unitsForRequest(request('0126:b', 1, 2), [u]).map((m) => m.freePlaces)).toEqual([1]);
  });

  describe('never over-books a unit on any day, on random batches', () => {
    const random = seededRandom(2610);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const cases = Array.from({ length: 40 }, (_, n) => {
      const units = Array.from({ length: int(1, 4) }, (_, j) => {
        const places = int(1, 4);
        const free = Array.from({ length: 60 }, () => places);
        for (let b = int(0, 3); b > 0; b--) {
          const start = int(0, 55);
          const taken = int(1, places);
          for (let d = start; d < Math.min(60, start + int(3, 20)); d++) free[d] = Math.max(0, free[d]! - taken);
        }
        return unit(`0138:u${n}-${j}`, free);
      });
      const requests = Array.from({ length: int(2, 12) }, (_, i) => {
        const size = int(1, 3);
        return request(`0126:r${n}-${i}`, int(0, 45), int(1, 14), {
          householdSize: size,
          urgency: random() < 0.3 ? 'IMMEDIATE' : 'NORMAL',
          waitingDays: int(0, 90),
        });
      });
      return [n, { units, requests }] as const;
    });

    it.each(cases)('batch #%i', async (_n, { units, requests }) => {
      const { units: offered, unitRefOf } = unitsForBatch(requests, units);
      const result = await proposePlacements(requests, offered);
      expect(result.optimal).toBe(true);
      const byRef = new Map(requests.map((r) => [r.ref, r]));
      for (const u of units) {
        const placed = result.proposals.filter((p) => unitRefOf.get(p.unitRef) === u.ref).map((p) => byRef.get(p.requestRef)!);
        for (let d = 0; d < 60; d++) {
          const staying = placed.filter((r) => r.earliestStart <= day(d) && day(d) < addDays(r.earliestStart, r.durationDays));
          const used = staying.reduce((sum, r) => sum + r.householdSize, 0);
          expect({ unit: u.ref, day: day(d), used: used <= freeOver(u.runs, { from: day(d), to: day(d + 1) }) }).toEqual({
            unit: u.ref,
            day: day(d),
            used: true,
          });
        }
      }
    });
  });
});
