import { MunicipalityUnavailableError } from '@sodertorn/service-kit';
import type { GraphQLFormattedError } from 'graphql';
import type { ShardBatch } from './split-representations';

/** What one shard answered for its part of the batch, or why it could not. */
export type ShardOutcome =
  | { batch: ShardBatch; ok: true; entities: unknown[] | null | undefined; errors?: readonly GraphQLFormattedError[] }
  | { batch: ShardBatch; ok: false; error: (index: number) => GraphQLFormattedError };

export interface MergedEntities {
  entities: unknown[];
  errors: GraphQLFormattedError[];
}

/**
 * Puts the shards' answers back into the original batch order.
 *
 * Error paths `["_entities", j, …]` from a shard count within that shard's part;
 * they are renumbered to the original position so the gateway attaches them to
 * the right object. Every shard error is tagged with its municipality. A shard
 * that failed leaves null at each of its positions with one error per position;
 * one that answered without `_entities` leaves nulls too, explained by its own
 * errors or, when it sent none, by one error per position.
 */
export function mergeEntities(total: number, outcomes: readonly ShardOutcome[], extraErrors: readonly GraphQLFormattedError[] = []): MergedEntities {
  const entities: unknown[] = new Array(total).fill(null);
  const errors: GraphQLFormattedError[] = [];
  for (const outcome of outcomes) {
    const { batch } = outcome;
    if (!outcome.ok) {
      for (const index of batch.indices) errors.push(outcome.error(index));
      continue;
    }
    const answered = Array.isArray(outcome.entities) && outcome.entities.length === batch.indices.length;
    batch.indices.forEach((original, j) => {
      entities[original] = answered ? ((outcome.entities as unknown[])[j] ?? null) : null;
    });
    for (const error of outcome.errors ?? []) errors.push(renumber(error, batch));
    if (!answered && !(outcome.errors ?? []).length) {
      for (const index of batch.indices) {
        errors.push(new MunicipalityUnavailableError(batch.code, 'it returned no entities for this batch', { path: ['_entities', index] }).toJSON());
      }
    }
  }
  errors.push(...extraErrors);
  errors.sort((a, b) => firstIndex(a) - firstIndex(b));
  return { entities, errors };
}

function renumber(error: GraphQLFormattedError, batch: ShardBatch): GraphQLFormattedError {
  const extensions = { ...error.extensions, municipalityCode: batch.code };
  const [root, local, ...rest] = error.path ?? [];
  if (root !== '_entities' || typeof local !== 'number') return { ...error, extensions };
  const original = batch.indices[local];
  if (original === undefined) return { ...error, path: undefined, extensions };
  return { ...error, path: ['_entities', original, ...rest], extensions };
}

/** The entity an error is about, for sorting; errors about no entity (another path, or none) go last. */
function firstIndex(error: GraphQLFormattedError): number {
  const [root, index] = error.path ?? [];
  return root === '_entities' && typeof index === 'number' ? index : Number.MAX_SAFE_INTEGER;
}
