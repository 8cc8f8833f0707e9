/**
 * Secure aggregation by pairwise additive masking.
 *
 * Every municipality (participant) computes the same vector of aggregate cells
 * (counts). Before sending it to the regional aggregator it adds, for every
 * other participant p, a pseudo-random mask derived from a seed that only it
 * and p know: `+mask` if its own id sorts before p's, `−mask` otherwise. Each
 * pair's two masks therefore have opposite signs and cancel in the sum, so the
 * aggregator learns the regional totals and, from any single vector, nothing
 * but uniformly distributed noise.
 *
 * Arithmetic is modulo M = 2^32. That suffices because the true totals are
 * counts of people (participants, places, exits per quarter and cell) summed
 * over eight municipalities: orders of magnitude below 2^32 ≈ 4.3 × 10^9, so
 * the sum modulo M is the sum itself. Every input cell must be below M (checked)
 * and a caller that sums more than M − 1 in one cell gets a wrong total — far
 * outside anything this programme counts. Working mod 2^32 also keeps every
 * intermediate value an exact integer in a JavaScript number (< 2^53).
 *
 * All participants of a round must take part: the masks only cancel when the
 * vectors of *every* participant in the list are summed. If one does not
 * deliver, the round is rerun with the remaining participants (each recomputes
 * its masked vector over the new list, preferably under a new round label);
 * the vectors already received for the old list are discarded, never combined
 * with the new ones.
 *
 * Limits (by design of this module, not hidden): there is no dropout recovery
 * (no secret-sharing of seeds), no protection against an aggregator that
 * colludes with all but one participant, and no integrity protection — those
 * belong to the transport and the round protocol around it.
 */
import { createHmac, createPublicKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';

/** The modulus of all masked arithmetic: 2^32. */
export const MODULUS = 2 ** 32;

/**
 * Returns the seed that participants `a` and `b` share. It must be symmetric:
 * `seeds(a, b)` and `seeds(b, a)` give the same bytes.
 */
export type PairwiseSeeds = (a: string, b: string) => Uint8Array;

const HKDF_INFO = 'sodertorn/statistics/pairwise-mask-seed/v1';

function mod(value: number): number {
  const r = value % MODULUS;
  return r < 0 ? r + MODULUS : r;
}

/** Encodes an unordered pair unambiguously (ids may contain any character). */
function pairLabel(a: string, b: string): string {
  return JSON.stringify(a < b ? [a, b] : [b, a]);
}

/**
 * The pseudo-random function of the masks: the first four bytes (big-endian)
 * of HMAC-SHA256(seed, `${round}:${cellIndex}`), as an unsigned 32-bit integer.
 */
export function prf(seed: Uint8Array, round: string, cellIndex: number): number {
  return createHmac('sha256', seed).update(`${round}:${cellIndex}`).digest().readUInt32BE(0);
}

function assertCells(cells: readonly number[], what: string): void {
  cells.forEach((cell, index) => {
    if (!Number.isSafeInteger(cell) || cell < 0 || cell >= MODULUS) {
      throw new RangeError(`${what}[${index}] must be an integer in [0, 2^32), got ${cell}`);
    }
  });
}

/**
 * Masks one participant's cells for one round.
 *
 * For each other participant p it adds PRF(seeds(own, p), round, i) to cell i if
 * `own < p` (JavaScript string order) and subtracts it otherwise, modulo 2^32.
 *
 * @param own this participant's id; must be in `participants`
 * @param participants every participant of this round, own included, no duplicates
 * @param seeds the symmetric pairwise seed function (see devPairwiseSeed, x25519PairwiseSeeds)
 * @param round a label unique to this round (e.g. `2026Q3/intakes/attempt-2`); reusing a
 *   round label for different data reuses the masks and leaks the difference of the data
 * @param cells non-negative integer counts below 2^32
 * @returns the masked cells, each in [0, 2^32)
 */
export function maskVector(own: string, participants: readonly string[], seeds: PairwiseSeeds, round: string, cells: readonly number[]): number[] {
  if (new Set(participants).size !== participants.length) {
    throw new Error('participants must not contain duplicates');
  }
  if (!participants.includes(own)) throw new Error(`participant ${own} is not in the participant list`);
  assertCells(cells, 'cells');
  const masked = [...cells];
  for (const other of participants) {
    if (other === own) continue;
    const seed = seeds(own, other);
    const sign = own < other ? 1 : -1;
    for (let i = 0; i < masked.length; i++) {
      masked[i] = mod((masked[i] as number) + sign * prf(seed, round, i));
    }
  }
  return masked;
}

/**
 * Sums masked vectors cell by cell, modulo 2^32. Given the masked vectors of
 * every participant of a round (and only then), the result is the true totals.
 */
export function sumMasked(vectors: readonly (readonly number[])[]): number[] {
  const [first] = vectors;
  if (!first) return [];
  const length = first.length;
  const sums: number[] = new Array<number>(length).fill(0);
  vectors.forEach((vector, v) => {
    if (vector.length !== length) {
      throw new Error(`vector ${v} has ${vector.length} cells, expected ${length}`);
    }
    assertCells(vector, `vectors[${v}]`);
    for (let i = 0; i < length; i++) sums[i] = mod((sums[i] as number) + (vector[i] as number));
  });
  return sums;
}

/**
 * DEVELOPMENT ONLY. Derives every pair's seed from one configured secret:
 * HMAC-SHA256(secret, sorted pair). Anyone holding the secret (every
 * participant, in this scheme) can compute every seed and so unmask every
 * other participant's vector: it gives the same protocol and the same numbers
 * as production without any key agreement, and no secrecy between
 * participants. Production uses x25519PairwiseSeeds.
 */
export function devPairwiseSeed(secret: string): PairwiseSeeds {
  if (secret.length === 0) throw new Error('the development secret must not be empty');
  return (a, b) => {
    if (a === b) throw new Error('a participant has no seed with itself');
    return new Uint8Array(createHmac('sha256', secret).update(pairLabel(a, b)).digest());
  };
}

/**
 * Production seeds: X25519 key agreement between this participant's private
 * key and the other participant's public key (node:crypto diffieHellman), then
 * HKDF-SHA256 (salt: the sorted pair of ids, fixed info string) to a 32-byte
 * seed. Both sides of a pair compute the same shared secret and so the same
 * seed; nobody else can.
 *
 * @param ownPrivateKey this participant's X25519 private KeyObject
 *   (e.g. from `generateKeyPairSync('x25519')`)
 * @param publicKeys every participant's X25519 public key, own included: own
 *   id is recognised as the entry whose key matches `ownPrivateKey`
 * @returns a seeds function answering only for pairs that include this participant
 */
export function x25519PairwiseSeeds(ownPrivateKey: KeyObject, publicKeys: ReadonlyMap<string, KeyObject> | Readonly<Record<string, KeyObject>>): PairwiseSeeds {
  if (ownPrivateKey.type !== 'private' || ownPrivateKey.asymmetricKeyType !== 'x25519') {
    throw new Error('ownPrivateKey must be an X25519 private key');
  }
  const entries = publicKeys instanceof Map ? [...publicKeys.entries()] : Object.entries(publicKeys);
  const keys = new Map<string, KeyObject>(entries);
  for (const [id, key] of keys) {
    if (key.type !== 'public' || key.asymmetricKeyType !== 'x25519') {
      throw new Error(`public key of ${id} must be an X25519 public key`);
    }
  }
  const ownPublic = createPublicKey(ownPrivateKey);
  const ownIds = [...keys].filter(([, key]) => key.equals(ownPublic)).map(([id]) => id);
  if (ownIds.length !== 1) throw new Error('own public key must appear exactly once in publicKeys');
  const own = ownIds[0] as string;
  const cache = new Map<string, Uint8Array>();

  return (a, b) => {
    if (a === b) throw new Error('a participant has no seed with itself');
    if (a !== own && b !== own) throw new Error(`this participant (${own}) holds no seed for ${a} and ${b}`);
    const other = a === own ? b : a;
    const cached = cache.get(other);
    if (cached) return cached.slice();
    const publicKey = keys.get(other);
    if (!publicKey) throw new Error(`no public key for participant ${other}`);
    const shared = diffieHellman({ privateKey: ownPrivateKey, publicKey });
    if (shared.every((byte) => byte === 0)) {
      throw new Error(`key agreement with ${other} gave the all-zero secret (low-order public key)`);
    }
    const seed = new Uint8Array(hkdfSync('sha256', shared, pairLabel(a, b), HKDF_INFO, 32));
    cache.set(other, seed);
    return seed.slice();
  };
}
