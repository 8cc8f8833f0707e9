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

/** Walks rows in seq order and names every place where the chain does not hold. */
export function verifyAuditChain(rows: readonly (AuditRecord & { hash: string })[]): ChainProblem[] {
  const verifier = new AuditChainVerifier();
  for (const row of rows) verifier.add(row);
  return verifier.problems;
}

/** The same walk a page of rows at a time, so a long log is never held in memory whole. */
export class AuditChainVerifier {
  readonly problems: ChainProblem[] = [];
  rows = 0;
  private expectedPrev = GENESIS_HASH;
  private expectedSeq = 1;

  /** The next row in seq order. */
  add(row: AuditRecord & { hash: string }): void {
    if (row.seq !== this.expectedSeq) this.problems.push({ seq: row.seq, problem: `expected row ${this.expectedSeq} here: rows are missing or reordered` });
    if (row.prevHash !== this.expectedPrev) this.problems.push({ seq: row.seq, problem: 'does not link to the row before it' });
    if (auditHash(row) !== row.hash) this.problems.push({ seq: row.seq, problem: 'its content does not match its hash: the row was edited' });
    this.expectedPrev = row.hash;
    this.expectedSeq = row.seq + 1;
    this.rows += 1;
  }

  /** The last position walked; null before any row. */
  get lastSeq(): number | null {
    return this.rows === 0 ? null : this.expectedSeq - 1;
  }
}
