import { KEY_MODULUS, MAX_NOISE, noiseFor, PERTURBATION_TABLE, perturbCount, possibleCounts, recordKey, reduceKey, releaseSalt } from './cell-key';

describe('the perturbation table', () => {
  it('covers every key once, from the most negative noise to the most positive, symmetrically', () => {
    expect(PERTURBATION_TABLE[0]!.fromKey).toBe(0);
    expect(PERTURBATION_TABLE.at(-1)!.toKey).toBe(KEY_MODULUS);
    PERTURBATION_TABLE.forEach((entry, i) => {
      if (i > 0) expect(entry.fromKey).toBe(PERTURBATION_TABLE[i - 1]!.toKey);
      expect(entry.toKey).toBeGreaterThan(entry.fromKey);
      const mirror = PERTURBATION_TABLE[PERTURBATION_TABLE.length - 1 - i]!;
      expect(mirror.noise + entry.noise).toBe(0);
      expect(mirror.toKey - mirror.fromKey).toBe(entry.toKey - entry.fromKey);
    });
  });

  it('halves the share of keys with each step away from 0, up to ±14 (the numbers docs/statistics.md prints)', () => {
    expect(MAX_NOISE).toBe(14);
    const size = (noise: number) => PERTURBATION_TABLE.find((e) => e.noise === noise)!;
    expect([0, 1, 2, 3, 14].map((n) => size(n).toKey - size(n).fromKey)).toEqual([21846, 10923, 5462, 2731, 1]);
    // Mean 0, standard deviation 2.
    const moments = PERTURBATION_TABLE.reduce(
      (m, e) => ({ sum: m.sum + e.noise * (e.toKey - e.fromKey), squares: m.squares + e.noise ** 2 * (e.toKey - e.fromKey) }),
      { sum: 0, squares: 0 },
    );
    expect(moments.sum).toBe(0);
    expect(Math.sqrt(moments.squares / KEY_MODULUS)).toBeCloseTo(2, 1);
    expect([0, 21844, 21845, 43690, 43691, 65535].map(noiseFor)).toEqual([-14, -1, 0, 0, 1, 14]);
  });
});

describe('perturbCount', () => {
  it('adds the noise of the cell key and publishes a result below the threshold as 0', () => {
    expect(perturbCount(10, 30000, 5)).toBe(10);
    expect(perturbCount(10, 50000, 5)).toBe(11);
    expect(perturbCount(10, 0, 5)).toBe(0); // 10 − 14 < 5
    expect(perturbCount(3, 30000, 5)).toBe(0);
    expect(perturbCount(3, 65535, 5)).toBe(17);
    expect(perturbCount(0, 65535, 5)).toBe(0);
  });

  it('never publishes 1..threshold−1, whatever the count and key', () => {
    for (let count = 0; count < 30; count++) {
      for (let key = 0; key < KEY_MODULUS; key += 97) {
        const value = perturbCount(count, key, 5);
        expect(value === 0 || value >= 5).toBe(true);
        const possible = possibleCounts(value, 5);
        expect(count).toBeGreaterThanOrEqual(possible.min);
        expect(count).toBeLessThanOrEqual(possible.max);
      }
    }
    expect(() => possibleCounts(3, 5)).toThrow(RangeError);
    expect(() => perturbCount(-1, 0, 5)).toThrow(RangeError);
  });

  it('refuses what is not a count or not a key, saying what it got', () => {
    expect(() => perturbCount(-1, 0, 5)).toThrow('a count must be a non-negative integer, got -1');
    expect(() => perturbCount(2.5, 0, 5)).toThrow('a count must be a non-negative integer, got 2.5');
    expect(() => reduceKey(0.5)).toThrow(new RangeError('a cell key must be an integer, got 0.5'));
    expect(() => noiseFor(Number.NaN)).toThrow('a cell key must be an integer, got NaN');
    expect(() => possibleCounts(3, 5)).toThrow('no count is published as 3 at threshold 5');
    expect(() => possibleCounts(7.5, 5)).toThrow('no count is published as 7.5 at threshold 5');
  });
});

describe('possibleCounts', () => {
  // By hand: the noise is −14..+14 and a perturbed value below the threshold is published as 0.
  it('gives the whole interval of true counts behind a published value', () => {
    // 0: a true count of 18 with noise −14 is 4, below 5; a true 19 is at least 5.
    expect(possibleCounts(0, 5)).toEqual({ min: 0, max: 18 });
    expect(possibleCounts(0, 3)).toEqual({ min: 0, max: 16 });
    expect(possibleCounts(20, 5)).toEqual({ min: 6, max: 34 });
    // Nothing counted is published as 0, so a published 5 comes from at least one record.
    expect(possibleCounts(5, 5)).toEqual({ min: 1, max: 19 });
    expect(possibleCounts(15, 5)).toEqual({ min: 1, max: 29 });
    expect(possibleCounts(16, 5)).toEqual({ min: 2, max: 30 });
  });
});

describe('record keys', () => {
  it('are stable for the same secret, salt and record, differ between releases, and spread over [0, 2^16)', () => {
    expect(recordKey('secret', releaseSalt(2026, 1), 'p-1')).toBe(recordKey('secret', releaseSalt(2026, 1), 'p-1'));
    const keys = Array.from({ length: 2000 }, (_, i) => recordKey('secret', releaseSalt(2026, 1), `p-${i}`));
    const again = Array.from({ length: 2000 }, (_, i) => recordKey('secret', releaseSalt(2026, 2), `p-${i}`));
    expect(keys.filter((k, i) => k === again[i]).length).toBeLessThan(5);
    expect(keys.every((k) => Number.isInteger(k) && k >= 0 && k < KEY_MODULUS)).toBe(true);
    // Roughly uniform: each quarter of the key space gets about a quarter of the keys.
    for (let q = 0; q < 4; q++) expect(keys.filter((k) => Math.floor(k / (KEY_MODULUS / 4)) === q).length).toBeGreaterThan(400);
    expect(recordKey('other secret', releaseSalt(2026, 1), 'p-1')).not.toBe(keys[1]);
    expect(reduceKey(-1)).toBe(KEY_MODULUS - 1);
    expect(reduceKey(3 * KEY_MODULUS + 5)).toBe(5);
  });
});
