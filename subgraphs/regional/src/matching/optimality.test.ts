import { proposePlacements } from './propose';
import { prng as seededRandom } from '@sodertorn/testing';
import { randomBatch } from './random-batch';
import type { MatchResult } from './types';
import { bruteForceOptimum, highsOptimum, packingBatch, violations } from './__tests__/reference';

const methods: MatchResult['statistics']['method'][] = [];
/**
 * Optimality is the question here, not speed (that is the benchmark's): a time limit no busy CI
 * machine reaches, so a batch is never cut short into a non-optimal answer by the machine's load.
 */
const UNHURRIED = { timeLimitMs: 120_000 };

describe('Matching: optimality', () => {
  describe('equals the brute-force optimum on tiny batches', () => {
    const random = seededRandom(4711);
    const tiny = Array.from({ length: 60 }, (_, n) => {
      const requests = 2 + Math.floor(random() * 5);
      const units = 1 + Math.floor(random() * 4);
      return n % 2 === 0
        ? packingBatch(1000 + n, requests, units)
        : randomBatch({ seed: 1000 + n, requests, units, supply: 'tight', forgetHome: 0.5, maxHousehold: 4 });
    });

    it.each(tiny.map((batch, n) => [n, batch] as const))('tiny batch #%i', async (_n, { requests, units }) => {
      const result = await proposePlacements(requests, units, UNHURRIED);
      expect(violations(requests, units, result)).toEqual([]);
      expect(result.objective).toBe(bruteForceOptimum(requests, units));
      expect(result.optimal).toBe(true);
      methods.push(result.statistics.method);
    });
  });

  describe('equals HiGHS on an independently written formulation for medium batches', () => {
    const random = seededRandom(1848);
    const medium = Array.from({ length: 60 }, (_, n) => {
      const requests = 20 + Math.floor(random() * 50);
      const units = 15 + Math.floor(random() * 100);
      if (n % 3 === 0) return packingBatch(2000 + n, requests, Math.ceil(units / 4));
      return randomBatch({ seed: 2000 + n, requests, units, supply: n % 3 === 1 ? 'tight' : 'ample', forgetHome: 0.2 });
    });

    it.each(medium.map((batch, n) => [n, batch] as const))('medium batch #%i', async (_n, { requests, units }) => {
      const result = await proposePlacements(requests, units, UNHURRIED);
      expect(violations(requests, units, result)).toEqual([]);
      expect(result.optimal).toBe(true);
      expect(result.upperBound).toBe(result.objective);
      expect(result.objective).toBe(await highsOptimum(requests, units));
      methods.push(result.statistics.method);
    });
  });

  it('went through every stage of the engine in these comparisons', () => {
    // Equality only means something if the harder stages (LP bound, reduced MIP) were exercised.
    const count = (method: string) => methods.filter((m) => m === method).length;
    expect(methods).toHaveLength(120);
    expect(count('lp')).toBeGreaterThanOrEqual(20);
    expect(count('mip')).toBeGreaterThanOrEqual(20);
    expect(count('unproven')).toBe(0);
  });
});
