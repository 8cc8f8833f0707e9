import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationFailedError } from '@sodertorn/service-kit';
import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError } from '@sodertorn/service-kit';
import { IdempotentOperation } from './idempotent-operation.entity';

/** Advisory lock class of idempotency keys (two-key form: its own space, apart from the audit chain's lock). */
const IDEMPOTENCY_LOCK_CLASS = 726_130_002;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The `idempotencyKey` argument of every lifecycle step, as the schema describes it. */
export const IDEMPOTENCY_KEY_ARG = {
  description: `Chosen by the caller, unique per intended change (at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters). A retry with the same key and arguments returns the first result and changes nothing.`,
} as const;

/** One mutation done under an idempotency key. */
export interface IdempotentCall {
  key: string;
  /** The mutation's field name. */
  operation: string;
  /** The arguments that define what is done (not the key, not the routing municipalityCode). */
  args: Record<string, unknown>;
}

/** How a result is stored and given back on a replay. */
export interface ResultCodec<T> {
  toJson(value: T): unknown;
  fromJson(json: unknown): T;
}

/**
 * Runs `work` once per idempotency key, in one transaction with the record of
 * it. A replay (same key, same operation and arguments) returns the stored
 * result and changes nothing; the same key with anything else is refused with
 * IDEMPOTENCY_KEY_REUSED. Calls with the same key queue on an advisory lock, so
 * two concurrent retries never both do the work. A call that fails stores
 * nothing: its retry is a new attempt.
 */
export async function runIdempotent<T>(em: EntityManager, call: IdempotentCall, codec: ResultCodec<T>, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (call.key.length < 1 || call.key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw ValidationFailedError.of('idempotencyKey', `must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  const argumentsHash = hashArguments(call.args);
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?, hashtext(?))', [IDEMPOTENCY_LOCK_CLASS, call.key]);
    const stored = await tx.findOne(IdempotentOperation, { key: call.key });
    if (stored) {
      if (stored.operation !== call.operation || stored.argumentsHash !== argumentsHash)
        throw IdempotencyKeyReusedError.usedFor(call.operation, stored.operation);
      return codec.fromJson(stored.result);
    }
    const result = await work(tx);
    await tx.flush(); // so the stored result carries what the database now holds (e.g. updatedAt)
    tx.persist(Object.assign(new IdempotentOperation(), { key: call.key, operation: call.operation, argumentsHash, result: codec.toJson(result) }));
    return result;
  });
}

/** SHA-256 of the arguments as canonical JSON (keys sorted at every level, undefined left out). */
export function hashArguments(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * One lifecycle step of a resolver (a booking's, a placement request's): `work` runs once per
 * idempotency key, and a repeat returns the stored result, decoded with `codec`.
 */
export function idempotentStep<T>(codec: ResultCodec<T>) {
  return (context: { em: EntityManager }, operation: string, key: string, args: Record<string, unknown>, work: (tx: EntityManager) => Promise<T>): Promise<T> =>
    runIdempotent(context.em, { key, operation, args }, codec, work);
}
