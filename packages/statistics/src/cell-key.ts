/**
 * The cell key method (as the Australian Bureau of Statistics' TableBuilder and
 * Statistics Sweden use it): every published count carries noise that is a
 * function of WHICH records it counts, not of when or how often it is asked.
 *
 * - Each record (a participant, a booking) gets a RECORD KEY: a pseudo-random
 *   integer in [0, 2^16), HMAC of its municipality's secret, the release's
 *   salt and the record's id. Only the municipality can compute it.
 * - A cell's CELL KEY is the sum of its records' keys modulo 2^16. Sums of keys
 *   survive secure aggregation (masks are modulo 2^32, and 2^16 divides 2^32),
 *   so the region learns a regional cell's key without learning any record's.
 * - The PERTURBATION TABLE turns the cell key into noise: a symmetric,
 *   geometrically decaying distribution on [−MAX_NOISE, MAX_NOISE], laid out
 *   over the 2^16 keys in order (see perturbationTable). It is public: knowing
 *   it does not help without the cell key.
 * - The MINIMUM-FREQUENCY RULE: a perturbed count below the threshold is
 *   published as 0, so no published value lies in 1..threshold−1, and a
 *   published 0 covers true counts 0..threshold−1+MAX_NOISE alike.
 *
 * The same records give the same key and so the same published value: asking
 * again, or in another dataset (the three intake datasets' quarter totals count
 * the same people), gives the same number, and nothing averages out. docs/statistics.md
 * argues the parameters and what they guarantee.
 */
import { createHmac } from 'node:crypto';

/** Bits of a record key and a cell key. */
export const KEY_BITS = 16;
/** Cell keys are sums of record keys modulo this. It divides the masking modulus 2^32. */
export const KEY_MODULUS = 2 ** KEY_BITS;

/** The smallest count that is published as itself (after noise); perturbed counts below it are published as 0. */
export const DEFAULT_THRESHOLD = 5;
/** No deployment may set a lower threshold. */
export const MIN_THRESHOLD = 3;

/**
 * The noise's decay: the chance of noise e is proportional to NOISE_DECAY^|e|.
 * 0.5 gives a standard deviation of 2 and |noise| ≤ 4 for 96 % of cells.
 */
export const NOISE_DECAY = 0.5;

export interface PerturbationEntry {
  noise: number;
  /** Cell keys in [fromKey, toKey) get this noise. */
  fromKey: number;
  toKey: number;
}

/**
 * The perturbation table: the noise for every cell key. Each noise e in
 * −M..M gets a share of the 2^16 keys proportional to NOISE_DECAY^|e|
 * (largest remainders, symmetric), where M, MAX_NOISE, is the largest |e| that
 * still gets at least one key. Keys are laid out from the most negative noise
 * to the most positive, so the table is the noise's quantile function.
 */
function perturbationTable(): PerturbationEntry[] {
  const weight = (e: number) => NOISE_DECAY ** Math.abs(e);
  let max = 0;
  const norm = (m: number) => Array.from({ length: 2 * m + 1 }, (_, i) => weight(i - m)).reduce((a, b) => a + b, 0);
  while (Math.floor((KEY_MODULUS * weight(max + 1)) / norm(max + 1)) >= 1) max += 1;
  const noises = Array.from({ length: 2 * max + 1 }, (_, i) => i - max);
  const total = norm(max);
  // Half the keys (rounded) per non-negative noise, mirrored, so the table is exactly symmetric.
  const half = noises.filter((e) => e >= 0).map((e) => ({ e, exact: (KEY_MODULUS * weight(e)) / total }));
  const slots = new Map(half.map(({ e, exact }) => [e, Math.floor(exact)]));
  let spare = KEY_MODULUS - [...slots].reduce((n, [e, s]) => n + (e === 0 ? s : 2 * s), 0);
  // Odd spare keys go to noise 0, pairs to the largest remainders (mirrored).
  if (spare % 2 === 1) {
    slots.set(0, slots.get(0)! + 1);
    spare -= 1;
  }
  for (const { e } of [...half].filter(({ e }) => e > 0).sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
    if (spare === 0) break;
    slots.set(e, slots.get(e)! + 1);
    spare -= 2;
  }
  slots.set(0, slots.get(0)! + spare);
  let from = 0;
  return noises.map((noise) => {
    const size = slots.get(Math.abs(noise))!;
    const entry = { noise, fromKey: from, toKey: from + size };
    from += size;
    return entry;
  });
}

/** The published perturbation table (docs/statistics.md prints it). */
export const PERTURBATION_TABLE: readonly PerturbationEntry[] = perturbationTable();

/** The largest noise in either direction: no published count is further than this from the true one (except the minimum-frequency rule's zeros). */
export const MAX_NOISE = PERTURBATION_TABLE[PERTURBATION_TABLE.length - 1]!.noise;

const NOISE_BY_KEY: Int8Array = (() => {
  const noise = new Int8Array(KEY_MODULUS);
  for (const entry of PERTURBATION_TABLE) noise.fill(entry.noise, entry.fromKey, entry.toKey);
  return noise;
})();

/** The noise for a cell key (any integer; reduced modulo 2^16). */
export function noiseFor(cellKey: number): number {
  return NOISE_BY_KEY[reduceKey(cellKey)]!;
}

/** A key sum modulo 2^16, in [0, 2^16). */
export function reduceKey(keySum: number): number {
  if (!Number.isSafeInteger(keySum)) throw new RangeError(`a cell key must be an integer, got ${keySum}`);
  const r = keySum % KEY_MODULUS;
  return r < 0 ? r + KEY_MODULUS : r;
}

/**
 * The published value of a count: 0 for nothing counted; else the count plus
 * the noise of its cell key, or 0 when that falls below the threshold (the
 * minimum-frequency rule).
 */
export function perturbCount(count: number, cellKey: number, threshold: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a count must be a non-negative integer, got ${count}`);
  if (count === 0) return 0;
  const value = count + noiseFor(cellKey);
  return value < threshold ? 0 : value;
}

/**
 * Every true count that could have been published as `published`, as an
 * interval: what an attacker who knows the method and the table, but not the
 * cell key, can conclude from one published value.
 */
export function possibleCounts(published: number, threshold: number): { min: number; max: number } {
  if (published === 0) return { min: 0, max: threshold - 1 + MAX_NOISE };
  if (!Number.isSafeInteger(published) || published < threshold) throw new RangeError(`no count is published as ${published} at threshold ${threshold}`);
  return { min: Math.max(1, published - MAX_NOISE), max: published + MAX_NOISE };
}

/**
 * A record's key: the first four bytes of HMAC-SHA256(secret, salt NUL id),
 * reduced to [0, 2^16). `salt` names the release (see releaseSalt), so a new
 * release of a period draws new noise for every cell.
 */
export function recordKey(secret: string | Uint8Array, salt: string, recordId: string): number {
  return createHmac('sha256', secret).update(`${salt}\u0000${recordId}`).digest().readUInt32BE(0) % KEY_MODULUS;
}

/** The salt of release `release` (1, 2, …) of a year: record keys differ between releases, and so does every cell's noise. */
export function releaseSalt(year: number, release: number): string {
  return `sodertorn/statistics/cell-key/v1/${year}/release-${release}`;
}

/**
 * How many releases of one year a shard takes part in (release numbers
 * 1..MAX_RELEASES_PER_YEAR). Each release draws new noise, and the average of
 * k releases has noise √k times smaller: this caps what averaging can win.
 */
export const MAX_RELEASES_PER_YEAR = 4;
