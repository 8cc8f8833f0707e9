import { bestUnitsFor, proposePlacements } from './propose';
import { randomBatch } from './random-batch';
import type { MatchRequest, MatchUnit } from './types';
import { MatchingInputError } from './validate';
import { WEIGHTS } from './weights';

function request(ref: string, overrides: Partial<MatchRequest> = {}): MatchRequest {
  return {
    ref,
    municipalityCode: '0126',
    urgency: 'NORMAL',
    waitingDays: 10,
    householdSize: 1,
    children: 0,
    needsWheelchairAccess: false,
    allowedKinds: ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'],
    excludedMunicipalities: ['0126'],
    earliestStart: '2026-12-01',
    durationDays: 90,
    ...overrides,
  };
}

function unit(ref: string, overrides: Partial<MatchUnit> = {}): MatchUnit {
  return { ref, municipalityCode: '0192', kind: 'PROTECTED', freePlaces: 1, wheelchairAccessible: false, suitableForChildren: false, ...overrides };
}

describe('Matching: behaviour', () => {
  describe('urgency', () => {
    it('gives the last place to an IMMEDIATE request over NORMAL ones that waited long', async () => {
      const normal = [1, 2, 3].map((n) =>
        request(`0126:normal-${n}`, { waitingDays: 400, municipalityCode: '0127', excludedMunicipalities: ['0127', '0180'] }),
      );
      const immediate = request('0126:tonight', { urgency: 'IMMEDIATE', waitingDays: 0 });
      const result = await proposePlacements([...normal, immediate], [unit('last')]);
      expect(result.proposals.map((p) => p.requestRef)).toEqual(['0126:tonight']);
      expect(result.unmatched.map((u) => u.reason)).toEqual(['CAPACITY_TAKEN', 'CAPACITY_TAKEN', 'CAPACITY_TAKEN']);
      expect(result.unmatched[0]!.explanation).toContain('last');
    });

    it('places an IMMEDIATE family rather than as many NORMAL singles in the same places', async () => {
      const singles = [1, 2, 3, 4].map((n) => request(`0127:single-${n}`, { municipalityCode: '0127', excludedMunicipalities: ['0127'], waitingDays: 90 }));
      const family = request('0126:family', { urgency: 'IMMEDIATE', householdSize: 4, children: 2 });
      const result = await proposePlacements([...singles, family], [unit('flat', { freePlaces: 4, suitableForChildren: true })]);
      expect(result.proposals.map((p) => p.requestRef)).toEqual(['0126:family']);
    });

    it('prefers HIGH to NORMAL for a single place', async () => {
      const normal = request('0127:normal', { municipalityCode: '0127', excludedMunicipalities: ['0127'], waitingDays: 365 });
      const high = request('0126:high', { urgency: 'HIGH', waitingDays: 0 });
      const result = await proposePlacements([normal, high], [unit('one')]);
      expect(result.proposals.map((p) => p.requestRef)).toEqual(['0126:high']);
    });

    it('keeps the IMMEDIATE guarantee in its weights: 20 displaced non-IMMEDIATE pairs score less than one IMMEDIATE', () => {
      const bestNonImmediatePair = WEIGHTS.urgency.HIGH + WEIGHTS.waiting.maxDays + WEIGHTS.fit.exactFit + WEIGHTS.distance.capKm;
      expect(20 * bestNonImmediatePair).toBeLessThan(WEIGHTS.urgency.IMMEDIATE);
      expect(WEIGHTS.urgency.NORMAL + WEIGHTS.waiting.maxDays + WEIGHTS.fit.exactFit + WEIGHTS.distance.capKm).toBeLessThan(WEIGHTS.urgency.HIGH);
    });
  });

  describe('children', () => {
    it('places a family with children only in a unit suitable for children', async () => {
      const family = request('0126:family', { householdSize: 3, children: 2 });
      const units = [
        unit('perfect-but-not-for-children', { freePlaces: 3, municipalityCode: '0140' }),
        unit('for-children', { freePlaces: 5, municipalityCode: '0128', suitableForChildren: true }),
      ];
      const result = await proposePlacements([family], units);
      expect(result.proposals).toEqual([expect.objectContaining({ requestRef: '0126:family', unitRef: 'for-children' })]);
      expect(result.proposals[0]!.constraintsMet).toContain('suitable for children');
    });

    it('leaves the family unmatched, and says why, when no unit is suitable for children', async () => {
      const family = request('0126:family', { householdSize: 3, children: 1 });
      const result = await proposePlacements(
        [family],
        [unit('a', { freePlaces: 3 }), unit('b', { freePlaces: 4, municipalityCode: '0126', suitableForChildren: true })],
      );
      expect(result.proposals).toEqual([]);
      expect(result.unmatched).toEqual([
        {
          requestRef: '0126:family',
          reason: 'NO_FEASIBLE_UNIT',
          explanation:
            'no unit meets every constraint: of 2 units, 1 outside the excluded municipalities (0126), 1 of an allowed kind (PROTECTED, TRAINING_FLAT, EMERGENCY, SUPPORTED), 1 with at least 3 free places, 0 suitable for children',
        },
      ]);
    });
  });

  describe('explanations', () => {
    it('lists every constraint met and the score parts, which sum to the score', async () => {
      const r = request('0126:x', {
        householdSize: 2,
        children: 1,
        needsWheelchairAccess: true,
        waitingDays: 120,
        excludedMunicipalities: ['0126', '0180'],
        allowedKinds: ['TRAINING_FLAT'],
      });
      const u = unit('flat', {
        kind: 'TRAINING_FLAT',
        freePlaces: 3,
        wheelchairAccessible: true,
        suitableForChildren: true,
        municipalityCode: '0192',
        availableFrom: '2026-11-27',
      });
      const { proposals, objective } = await proposePlacements([r], [u]);
      expect(proposals).toEqual([
        {
          requestRef: '0126:x',
          unitRef: 'flat',
          score: 100 + 90 + 40 + 50,
          parts: { urgency: 100, waiting: 90, fit: 40, distance: 50 },
          constraintsMet: [
            'not in an excluded municipality (0126, 0180)',
            'kind TRAINING_FLAT allowed',
            'household of 2 fits 3 free places',
            'suitable for children',
            'wheelchair accessible',
            'free from 2026-11-27',
          ],
          scoreNotes: [
            'urgency NORMAL: 100',
            'waiting 120 days (counted up to 90): 90',
            'fit: 1 place left empty: 40',
            'distance: 50 km from 0126, the nearest excluded municipality: 50',
          ],
        },
      ]);
      expect(objective).toBe(280);
    });

    it('has parts that sum to the score in every proposal of a large batch', async () => {
      const { requests, units } = randomBatch({ seed: 3, requests: 150, units: 400 });
      const { proposals } = await proposePlacements(requests, units);
      expect(proposals.length).toBeGreaterThan(100);
      for (const p of proposals) {
        expect(p.parts.urgency + p.parts.waiting + p.parts.fit + p.parts.distance).toBe(p.score);
        expect(p.constraintsMet.length).toBeGreaterThanOrEqual(4);
        expect(p.scoreNotes).toHaveLength(4);
      }
    });

    it('prefers a unit far from the threat and one the household fills', () => {
      const r = request('0126:x', { householdSize: 2, excludedMunicipalities: ['0126', '0180'] });
      const ranked = bestUnitsFor(
        r,
        [
          unit('near', { municipalityCode: '0127', freePlaces: 2 }),
          unit('far', { municipalityCode: '0192', freePlaces: 2 }),
          unit('far-big', { municipalityCode: '0192', freePlaces: 6 }),
        ],
        10,
      );
      expect(ranked.map((u) => [u.unitRef, u.parts.distance, u.parts.fit])).toEqual([
        ['far', 50, 50],
        ['near', 12, 50],
        ['far-big', 50, 10],
      ]);
    });
  });

  describe('bestUnitsFor', () => {
    const { requests, units } = randomBatch({ seed: 11, requests: 40, units: 300 });

    it('ranks the feasible units by score (ties by ref) and honours the limit', () => {
      for (const r of requests) {
        const all = bestUnitsFor(r, units, 1000);
        for (let k = 1; k < all.length; k++) {
          const [a, b] = [all[k - 1]!, all[k]!];
          expect(a.score > b.score || (a.score === b.score && a.unitRef < b.unitRef)).toBe(true);
        }
        expect(bestUnitsFor(r, units, 3)).toEqual(all.slice(0, 3));
      }
      expect(bestUnitsFor(requests[0]!, units, 0)).toEqual([]);
    });

    it('excludes every unit that breaks a constraint', () => {
      const r = request('0126:x', { householdSize: 2, children: 1, needsWheelchairAccess: true, allowedKinds: ['EMERGENCY'], earliestStart: '2026-12-10' });
      const ok = unit('ok', { kind: 'EMERGENCY', freePlaces: 2, wheelchairAccessible: true, suitableForChildren: true, availableFrom: '2026-12-10' });
      const broken = [
        { ...ok, ref: 'home', municipalityCode: '0126' },
        { ...ok, ref: 'kind', kind: 'PROTECTED' as const },
        { ...ok, ref: 'small', freePlaces: 1 },
        { ...ok, ref: 'no-children', suitableForChildren: false },
        { ...ok, ref: 'stairs', wheelchairAccessible: false },
        { ...ok, ref: 'later', availableFrom: '2026-12-11' },
        // The stay is 2026-12-10 up to 2027-03-10 (90 days): a unit free only until the 9th is too short.
        { ...ok, ref: 'too-short', availableUntil: '2027-03-09' },
      ];
      expect(bestUnitsFor(r, [...broken, ok], 10).map((u) => u.unitRef)).toEqual(['ok']);
    });

    it('takes a unit free until the very day the stay ends, and says for how long it is free', () => {
      const r = request('0126:x', { earliestStart: '2026-12-10', durationDays: 90 });
      const [ranked] = bestUnitsFor(r, [unit('just', { availableFrom: '2026-12-01', availableUntil: '2027-03-10' })], 10);
      expect(ranked?.constraintsMet).toContain('free from 2026-12-01 until 2027-03-10');
    });
  });

  describe('results', () => {
    it('reports an empty batch as optimal with objective 0', async () => {
      expect(await proposePlacements([], [])).toMatchObject({ proposals: [], unmatched: [], objective: 0, optimal: true, upperBound: 0 });
    });

    it('returns a valid, unproven assignment when the time budget is too short', async () => {
      const { requests, units } = randomBatch({ seed: 5, requests: 300, units: 1200, supply: 'tight' });
      const result = await proposePlacements(requests, units, { timeLimitMs: 1 });
      expect(result.optimal).toBe(false);
      expect(result.statistics.method).toBe('unproven');
      expect(result.upperBound).toBeGreaterThan(result.objective);
      expect(result.proposals.length).toBeGreaterThan(0);
    });

    it('rejects malformed input with a message naming the ref and the field', async () => {
      await expect(proposePlacements([request('a'), request('a')], [])).rejects.toThrow(
        new MatchingInputError('placement request "a": ref appears more than once in the batch'),
      );
      await expect(proposePlacements([request('b', { householdSize: 0 })], [])).rejects.toThrow('householdSize must be an integer of at least 1');
      await expect(proposePlacements([request('c', { earliestStart: '2026-02-30' })], [])).rejects.toThrow('earliestStart must be a date written YYYY-MM-DD');
      await expect(proposePlacements([], [unit('u', { freePlaces: 1.5 })])).rejects.toThrow('housing unit "u": freePlaces must be an integer of at least 0');
      expect(() => bestUnitsFor(request('d', { allowedKinds: [] }), [], 5)).toThrow(MatchingInputError);
    });
  });
});
