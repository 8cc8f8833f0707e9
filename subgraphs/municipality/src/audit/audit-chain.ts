import { createHash } from 'node:crypto';

/** One row of the audit log as it is hashed: everything but the hash itself. */
export interface AuditRecord {
  seq: number;
  occurredAt: string;
  actorSub: string;
  actorRoles: readonly string[];
  actorMunicipality: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  purpose: string | null;
  requestId: string;
  prevHash: string;
  /** The placement bookings an address read concerns (audit-log.ts); absent or empty for other reads. */
  concernsBookings?: readonly string[];
}

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the row's fields in a fixed order, including the previous row's
 * hash and the sequence number: an edited, removed or reordered row breaks the
 * chain from that row on. The bookings an address read concerns are hashed only when there are
 * some, so rows written before they were recorded keep the hash they were written with.
 */
export function auditHash(record: AuditRecord): string {
  const fields: unknown[] = [
    record.seq,
    record.occurredAt,
    record.actorSub,
    [...record.actorRoles],
    record.actorMunicipality,
    record.action,
    record.subjectType,
    record.subjectId,
    record.purpose,
    record.requestId,
    record.prevHash,
  ];
  if (record.concernsBookings?.length) fields.push([...record.concernsBookings]);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/** A stored row: the hashed record, its hash, and the cull run that turned it into a tombstone (if one did). */
export type StoredAuditRow = AuditRecord & { hash: string; culledIn?: string | null };

/** The action of the row a cull appends to the chain; its subject id is the cull run's id. */
export const CULL_ACTION = 'CULL';
/** What a tombstone's action reads (its other content fields are empty). */
export const TOMBSTONE_ACTION = 'CULLED';

/** Walks rows in seq order and names every place where the chain does not hold. */
export function verifyAuditChain(rows: readonly StoredAuditRow[]): ChainProblem[] {
  const verifier = new AuditChainVerifier();
  for (const row of rows) verifier.add(row);
  return verifier.problems;
}

/**
 * The same walk a page of rows at a time, so a long log is never held in memory whole.
 *
 * A tombstone (a row culled under the retention rules, `culledIn` set) keeps its seq, prevHash and
 * hash but not the content they were computed from, so its own hash cannot be recomputed. It is
 * accepted when it is still in place in the chain (right seq, links to the row before, and the row
 * after links to it) and a later row of the chain records the cull run it names (action CULL,
 * subject the run's id): a row emptied without a recorded cull is a problem like an edited one.
 */
export class AuditChainVerifier {
  private readonly found: ChainProblem[] = [];
  rows = 0;
  private expectedPrev = GENESIS_HASH;
  private expectedSeq = 1;
  /** Tombstones whose cull run has not been seen yet, by run id. */
  private readonly unrecordedTombstones = new Map<string, number[]>();

  /** The next row in seq order. */
  add(row: StoredAuditRow): void {
    if (row.seq !== this.expectedSeq) this.found.push({ seq: row.seq, problem: `expected row ${this.expectedSeq} here: rows are missing or reordered` });
    if (row.prevHash !== this.expectedPrev) this.found.push({ seq: row.seq, problem: 'does not link to the row before it' });
    if (row.culledIn) {
      this.unrecordedTombstones.set(row.culledIn, [...(this.unrecordedTombstones.get(row.culledIn) ?? []), row.seq]);
    } else {
      if (auditHash(row) !== row.hash) this.found.push({ seq: row.seq, problem: 'its content does not match its hash: the row was edited' });
      if (row.action === CULL_ACTION) this.unrecordedTombstones.delete(row.subjectId);
    }
    this.expectedPrev = row.hash;
    this.expectedSeq = row.seq + 1;
    this.rows += 1;
  }

  /** Every place where the chain does not hold so far, in seq order (tombstones without a recorded cull included). */
  get problems(): ChainProblem[] {
    const unrecorded = [...this.unrecordedTombstones.values()]
      .flat()
      .map((seq) => ({ seq, problem: 'its content was removed without a recorded cull: no later CULL row names its cull run' }));
    return [...this.found, ...unrecorded].sort((a, b) => a.seq - b.seq);
  }

  /** The last position walked; null before any row. */
  get lastSeq(): number | null {
    return this.rows === 0 ? null : this.expectedSeq - 1;
  }
}
