import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { MODULUS, devPairwiseSeed, maskVector, prf, sumMasked, x25519PairwiseSeeds, type PairwiseSeeds } from './secure-aggregation';
import { prng } from '@sodertorn/testing';

const CODES = ['0114', '0115', '0117', '0120', '0123', '0125', '0126', '0127', '0136', '0138'];

function randomCells(random: () => number, length: number): number[] {
  // Mostly small counts, some zeros, a few large ones: what the statistics look like.
  return Array.from({ length }, () => {
    const r = random();
    if (r < 0.2) return 0;
    if (r < 0.8) return Math.floor(random() * 10);
    return Math.floor(random() * 100_000);
  });
}

function plainSums(vectors: number[][]): number[] {
  return vectors[0]!.map((_, i) => vectors.reduce((sum, v) => sum + v[i]!, 0));
}

/** Each participant's seeds function, for both derivations. */
type SeedSetup = { name: string; seedsFor: (participants: string[]) => (own: string) => PairwiseSeeds };

const dev: SeedSetup = {
  name: 'development secret',
  seedsFor: () => {
    const seeds = devPairwiseSeed('development-only-statistics-secret');
    return () => seeds;
  },
};

const x25519: SeedSetup = {
  name: 'X25519 key agreement',
  seedsFor: (participants) => {
    const pairs = new Map(participants.map((id) => [id, generateKeyPairSync('x25519')]));
    const publicKeys = new Map<string, KeyObject>(participants.map((id) => [id, pairs.get(id)!.publicKey]));
    return (own) => x25519PairwiseSeeds(pairs.get(own)!.privateKey, publicKeys);
  },
};

function maskAll(participants: string[], seedsOf: (own: string) => PairwiseSeeds, round: string, data: Map<string, number[]>): Map<string, number[]> {
  return new Map(participants.map((id) => [id, maskVector(id, participants, seedsOf(id), round, data.get(id)!)]));
}

describe('pairwise additive masking', () => {
  describe.each([dev, x25519])('with $name', ({ seedsFor }) => {
    it.each([2, 3, 4, 5, 6, 7, 8])('sums of %i masked vectors equal the plain sums', (n) => {
      const random = prng(1000 + n);
      const participants = CODES.slice(0, n);
      const seedsOf = seedsFor(participants);
      for (let trial = 0; trial < 5; trial++) {
        const length = 1 + Math.floor(random() * 40);
        const data = new Map(participants.map((id) => [id, randomCells(random, length)]));
        const masked = maskAll(participants, seedsOf, `2026Q3/trial-${trial}`, data);
        expect(sumMasked([...masked.values()])).toEqual(plainSums([...data.values()]));
      }
    });

    it('makes every single vector look random: almost every cell differs, and each round differs', () => {
      const random = prng(7);
      const participants = CODES.slice(0, 8);
      const seedsOf = seedsFor(participants);
      const length = 200;
      const data = new Map(participants.map((id) => [id, randomCells(random, length)]));
      const q3 = maskAll(participants, seedsOf, '2026Q3', data);
      const q4 = maskAll(participants, seedsOf, '2026Q4', data);
      for (const id of participants) {
        const plain = data.get(id)!;
        const a = q3.get(id)!;
        const b = q4.get(id)!;
        // A 32-bit mask leaves a cell unchanged with probability 2^-32.
        expect(a.filter((cell, i) => cell === plain[i]).length).toBe(0);
        expect(b.filter((cell, i) => cell === a[i]).length).toBe(0);
        // Spread over the whole range: the small counts do not show through.
        expect(a.filter((cell) => cell < 1_000_000).length).toBeLessThan(5);
        const mean = a.reduce((s, c) => s + c, 0) / length / MODULUS;
        expect(mean).toBeGreaterThan(0.4);
        expect(mean).toBeLessThan(0.6);
      }
      expect(sumMasked([...q4.values()])).toEqual(plainSums([...data.values()]));
    });

    it('cancels the masks exactly: masked all-zero vectors sum to zero', () => {
      const participants = CODES.slice(0, 5);
      const seedsOf = seedsFor(participants);
      const zeros = new Map(participants.map((id) => [id, new Array<number>(50).fill(0)]));
      const masked = maskAll(participants, seedsOf, 'zeros', zeros);
      for (const vector of masked.values()) expect(vector.every((cell) => cell === 0)).toBe(false);
      expect(sumMasked([...masked.values()])).toEqual(new Array<number>(50).fill(0));
    });

    it('does not give the totals when a participant is missing; a rerun without it does', () => {
      const random = prng(42);
      const participants = CODES.slice(0, 6);
      const seedsOf = seedsFor(participants);
      const data = new Map(participants.map((id) => [id, randomCells(random, 30)]));
      const masked = maskAll(participants, seedsOf, '2026Q3/attempt-1', data);

      const missing = participants[2]!;
      const remaining = participants.filter((id) => id !== missing);
      const partial = sumMasked(remaining.map((id) => masked.get(id)!));
      const remainingTotals = plainSums(remaining.map((id) => data.get(id)!));
      expect(partial.filter((cell, i) => cell === remainingTotals[i]).length).toBe(0);
      expect(partial).not.toEqual(plainSums([...data.values()]));

      const rerun = maskAll(remaining, seedsOf, '2026Q3/attempt-2', data);
      expect(sumMasked([...rerun.values()])).toEqual(remainingTotals);
    });
  });

  it('computes the documented PRF: first four bytes of HMAC-SHA256 as uint32', () => {
    const seed = new Uint8Array(32).fill(1);
    const value = prf(seed, 'r', 3);
    expect(Number.isInteger(value) && value >= 0 && value < MODULUS).toBe(true);
    expect(prf(seed, 'r', 3)).toBe(value);
    expect(prf(seed, 'r', 4)).not.toBe(value);
    expect(prf(seed, 's', 3)).not.toBe(value);
  });

  it('adds the mask for the smaller id and subtracts it for the larger', () => {
    const seeds = devPairwiseSeed('s');
    const mask = prf(seeds('a', 'b'), 'r', 0);
    expect(maskVector('a', ['a', 'b'], seeds, 'r', [10])).toEqual([(10 + mask) % MODULUS]);
    expect(maskVector('b', ['a', 'b'], seeds, 'r', [10])).toEqual([(((10 - mask) % MODULUS) + MODULUS) % MODULUS]);
  });

  it('derives symmetric seeds in both schemes, distinct per pair', () => {
    const seeds = devPairwiseSeed('secret');
    expect(Buffer.from(seeds('0114', '0115'))).toEqual(Buffer.from(seeds('0115', '0114')));
    expect(Buffer.from(seeds('0114', '0115'))).not.toEqual(Buffer.from(seeds('0114', '0117')));
    expect(Buffer.from(devPairwiseSeed('other')('0114', '0115'))).not.toEqual(Buffer.from(seeds('0114', '0115')));

    const a = generateKeyPairSync('x25519');
    const b = generateKeyPairSync('x25519');
    const c = generateKeyPairSync('x25519');
    const publicKeys = { a: a.publicKey, b: b.publicKey, c: c.publicKey };
    const ofA = x25519PairwiseSeeds(a.privateKey, publicKeys);
    const ofB = x25519PairwiseSeeds(b.privateKey, publicKeys);
    expect(ofA('a', 'b')).toHaveLength(32);
    expect(Buffer.from(ofA('a', 'b'))).toEqual(Buffer.from(ofB('b', 'a')));
    expect(Buffer.from(ofA('a', 'b'))).toEqual(Buffer.from(ofB('a', 'b')));
    expect(Buffer.from(ofA('a', 'b'))).not.toEqual(Buffer.from(ofA('a', 'c')));
    expect(() => ofA('b', 'c')).toThrow(/holds no seed/);
  });

  it('rejects invalid input', () => {
    const seeds = devPairwiseSeed('s');
    expect(() => maskVector('x', ['a', 'b'], seeds, 'r', [1])).toThrow(/not in the participant list/);
    expect(() => maskVector('a', ['a', 'a'], seeds, 'r', [1])).toThrow(/duplicates/);
    expect(() => maskVector('a', ['a', 'b'], seeds, 'r', [-1])).toThrow(RangeError);
    expect(() => maskVector('a', ['a', 'b'], seeds, 'r', [1.5])).toThrow(RangeError);
    expect(() => maskVector('a', ['a', 'b'], seeds, 'r', [MODULUS])).toThrow(RangeError);
    expect(() => sumMasked([[1, 2], [3]])).toThrow(/expected 2/);
    expect(sumMasked([])).toEqual([]);
    expect(() => devPairwiseSeed('')).toThrow();
    const ed = generateKeyPairSync('ed25519');
    expect(() => x25519PairwiseSeeds(ed.privateKey, {})).toThrow(/X25519/);
    const x = generateKeyPairSync('x25519');
    expect(() => x25519PairwiseSeeds(x.privateKey, { b: generateKeyPairSync('x25519').publicKey })).toThrow(/exactly once/);
  });
});
