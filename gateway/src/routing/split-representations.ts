import { shardCodeOf, type Representation } from './shard-key';

/** The part of one `_entities` batch that goes to one municipality. */
export interface ShardBatch {
  code: string;
  /** Positions of these representations in the original batch, in the order sent. */
  indices: number[];
  representations: Representation[];
}

export interface SplitBatch {
  batches: ShardBatch[];
  /** Positions whose representation names no municipality we know. */
  unknown: { index: number; code: string }[];
}

/**
 * Splits an `_entities` batch by owning municipality, keeping each shard's part
 * in original order. Codes not in `knownCodes` (or missing) are set aside so that
 * they fail alone.
 */
export function splitRepresentations(representations: readonly Representation[], knownCodes: ReadonlySet<string>): SplitBatch {
  const byCode = new Map<string, ShardBatch>();
  const unknown: SplitBatch['unknown'] = [];
  representations.forEach((representation, index) => {
    const code = shardCodeOf(representation);
    if (code === undefined || !knownCodes.has(code)) {
      unknown.push({ index, code: code ?? '(none)' });
      return;
    }
    let batch = byCode.get(code);
    if (!batch) byCode.set(code, (batch = { code, indices: [], representations: [] }));
    batch.indices.push(index);
    batch.representations.push(representation);
  });
  return { batches: [...byCode.values()], unknown };
}
