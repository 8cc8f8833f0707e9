import { createHmac } from 'node:crypto';

/**
 * The cell key method recomputed by hand from its documentation
 * (docs/statistics.md), not from @sodertorn/statistics: a test's expected
 * published values come from here and the raw rows.
 */

/** How many of the 65 536 cell keys get each noise, from −14 to +14 (docs/statistics.md's table). */
const KEYS_PER_NOISE = [
  1, 3, 5, 11, 21, 43, 85, 171, 341, 683, 1365, 2731, 5462, 10923, 21846, 10923, 5462, 2731, 1365, 683, 341, 171, 85, 43, 21, 11, 5, 3, 1,
];

export const LARGEST_NOISE = 14;

function noiseOf(cellKey: number): number {
  let key = ((cellKey % 65536) + 65536) % 65536;
  for (let i = 0; i < KEYS_PER_NOISE.length; i++) {
    if (key < KEYS_PER_NOISE[i]!) return i - LARGEST_NOISE;
    key -= KEYS_PER_NOISE[i]!;
  }
  throw new Error('the table covers every key');
}

/** The published value of a count with this sum of record keys. */
export function publishedCount(count: number, keySum: number, threshold: number): number {
  if (count === 0) return 0;
  const value = count + noiseOf(keySum);
  return value < threshold ? 0 : value;
}

/** A test shard's record keys for release `release` of `year`: its secret comes from its CASE_REFERENCE_KEY (test-support.ts). */
export function testShardRecordKey(municipalityCode: string, year: number, release: number): (id: string) => number {
  const secret = createHmac('sha256', `test-case-reference-key-of-${municipalityCode}-0123456789`).update('sodertorn/statistics/record-key-secret/v1').digest();
  const salt = `sodertorn/statistics/cell-key/v1/${year}/release-${release}`;
  return (id) => createHmac('sha256', secret).update(`${salt}\u0000${id}`).digest().readUInt32BE(0) % 65536;
}
