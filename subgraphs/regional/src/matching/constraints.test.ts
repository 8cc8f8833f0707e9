import { bestUnitsFor, proposePlacements } from './propose';
import { constraintsMet, isFeasible } from './constraints';
import { buildPairTable } from './pair-table';
import { prng as seededRandom } from '@sodertorn/testing';
import { randomBatch } from './random-batch';
import { scorePair } from './score';
import { feasibleByRule, packingBatch, violations } from './__tests__/reference';

/** 240 batches of varied size and shape, some with callers that forgot the home municipality. */
function variedBatches() {
  const random = seededRandom(20261127);
  return Array.from({ length: 240 }, (_, n) => {
    const requests = 1 + Math.floor(random() * 40);
    const units = 1 + Math.floor(random() * 60);
    if (n % 6 === 5) return { name: `packing #${n}`, ...packingBatch(n, requests, Math.ceil(units / 3)) };
    const supply = random() < 0.5 ? 'tight' : 'ample';
    return { name: `${supply} #${n}`, ...randomBatch({ seed: n, requests, units, supply, forgetHome: 0.3, maxHousehold: 1 + Math.floor(random() * 6) }) };
  });
}

describe('Matching: hard constraints', () => {
  const batches = variedBatches();

  it('never proposes an infeasible pair, places a request twice or over-assigns a unit (240 random batches)', async () => {
    let proposals = 0;
    let forgotten = 0;
    for (const { name, requests, units } of batches) {
      forgotten += requests.filter((r) => !r.excludedMunicipalities.includes(r.municipalityCode)).length;
      const result = await proposePlacements(requests, units);
      expect({ name, problems: violations(requests, units, result) }).toEqual({ name, problems: [] });
      proposals += result.proposals.length;
    }
    // The test is only as good as its data: many proposals, and many callers who forgot the home municipality.
    expect(proposals).toBeGreaterThan(2000);
    expect(forgotten).toBeGreaterThan(500);
  });

  it('excludes the home municipality even when the caller forgot it', async () => {
    const request = {
      ref: '0126:forgot',
      municipalityCode: '0126',
      urgency: 'IMMEDIATE' as const,
      waitingDays: 0,
      householdSize: 1,
      children: 0,
      needsWheelchairAccess: false,
      allowedKinds: ['PROTECTED' as const],
      excludedMunicipalities: [],
      earliestStart: '2026-12-01',
      durationDays: 30,
    };
    const home = { ref: 'home', municipalityCode: '0126', kind: 'PROTECTED' as const, freePlaces: 1, wheelchairAccessible: true, suitableForChildren: true };
    const result = await proposePlacements([request], [home]);
    expect(result.proposals).toEqual([]);
    expect(result.unmatched).toEqual([expect.objectContaining({ requestRef: '0126:forgot', reason: 'NO_FEASIBLE_UNIT' })]);
    expect(bestUnitsFor(request, [home], 10)).toEqual([]);

    const away = { ...home, ref: 'away', municipalityCode: '0138' };
    const [proposal] = (await proposePlacements([request], [home, away])).proposals;
    expect(proposal).toMatchObject({ unitRef: 'away' });
    expect(proposal!.constraintsMet[0]).toBe('not in an excluded municipality (0126)');
  });

  it('bestUnitsFor returns exactly the feasible units (240 random batches)', () => {
    for (const { requests, units } of batches) {
      for (const request of requests.slice(0, 5)) {
        const ranked = bestUnitsFor(request, units, units.length)
          .map((r) => r.unitRef)
          .sort();
        const expected = units
          .filter((u) => feasibleByRule(request, u))
          .map((u) => u.ref)
          .sort();
        expect(ranked).toEqual(expected);
      }
    }
  });

  it('the fast pair table agrees with the readable constraints and scores', () => {
    for (const { requests, units } of batches.slice(0, 60)) {
      const table = buildPairTable(requests, units);
      requests.forEach((request, i) => {
        const fast = [...table.unitsOf[i]!].map((j, k) => `${units[j]!.ref}=${table.scoresOf[i]![k]}`).sort();
        const readable = units
          .filter((u) => isFeasible(request, u))
          .map((u) => `${u.ref}=${scorePair(request, u).score}`)
          .sort();
        expect(fast).toEqual(readable);
        const scores = [...table.scoresOf[i]!];
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      });
    }
  });

  it('lists one met constraint per applicable rule', () => {
    const { requests, units } = randomBatch({ seed: 7, requests: 30, units: 60 });
    for (const request of requests) {
      for (const unit of units.filter((u) => feasibleByRule(request, u))) {
        const met = constraintsMet(request, unit);
        expect(met).toHaveLength(4 + (request.children > 0 ? 1 : 0) + (request.needsWheelchairAccess ? 1 : 0));
        expect(met).toContain(`kind ${unit.kind} allowed`);
        expect(met).toContain(`household of ${request.householdSize} fits ${unit.freePlaces} free place${unit.freePlaces === 1 ? '' : 's'}`);
      }
    }
  });
});
