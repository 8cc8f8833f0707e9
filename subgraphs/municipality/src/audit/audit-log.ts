import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@sodertorn/auth';
import { auditHash, GENESIS_HASH, type AuditRecord } from './audit-chain';

/** ACCESS_REQUEST: a participant's register extract was produced (accessRequest). */
export type AuditAction = 'READ_PARTICIPANT' | 'READ_STREET_ADDRESS' | 'READ_AUDIT_LOG' | 'ACCESS_REQUEST' | RetentionAuditAction;
/** What the retention tools (`cull`, legal holds) record in the chain; see retention/. */
export type RetentionAuditAction = 'CULL' | 'LEGAL_HOLD_PLACED' | 'LEGAL_HOLD_LIFTED';

export interface AuditEvent {
  action: AuditAction;
  subjectType: string;
  subjectId: string;
}

/** Any key will do as long as every writer of the chain takes the same one. */
const CHAIN_LOCK_KEY = 726_130_001;

/**
 * The audit log of one request. Reads recorded in the same tick are written
 * together, in one transaction holding the chain lock, and the read waits until
 * its row is committed: no personal data leaves before its audit row exists.
 */
export class RequestAuditLog {
  private pending: { event: AuditEvent; done: (error?: unknown) => void }[] = [];
  private readonly written = new Map<string, Promise<void>>();

  constructor(
    private readonly em: EntityManager,
    private readonly actor: Identity | undefined,
    private readonly requestId: string,
    private readonly purpose: string | null,
  ) {}

  /** Records one read; repeated reads of the same subject in one request are recorded once. */
  record(event: AuditEvent): Promise<void> {
    const key = `${event.action}:${event.subjectType}:${event.subjectId}`;
    let promise = this.written.get(key);
    if (!promise) {
      promise = new Promise<void>((resolve, reject) => {
        this.pending.push({ event, done: (error) => (error ? reject(error) : resolve()) });
        if (this.pending.length === 1) setImmediate(() => void this.flush());
      });
      this.written.set(key, promise);
    }
    return promise;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await appendAuditRecords(
        this.em,
        batch.map(({ event }) => ({
          ...event,
          actorSub: this.actor?.sub ?? 'anonymous',
          actorRoles: [...(this.actor?.roles ?? [])],
          actorMunicipality: this.actor?.municipality ?? null,
          purpose: this.purpose,
          requestId: this.requestId,
        })),
      );
      batch.forEach(({ done }) => done());
    } catch (error) {
      batch.forEach(({ done }) => done(error));
    }
  }
}

export type NewAuditRow = Omit<AuditRecord, 'seq' | 'occurredAt' | 'prevHash' | 'concernsBookings'>;

/**
 * The placement bookings of each unit whose address is read here that the read concerns: the
 * unit is, or is about to be, the home of the participant of a confirmed booking, or of an ended
 * one until its day of moving out. Held bookings are not named (the participant has not accepted
 * the unit), nor local bookings (they carry no participant of another municipality). Read inside
 * the writing transaction, so the row says who lived there when it was read.
 */
async function bookingsConcerned(tx: EntityManager, rows: readonly NewAuditRow[]): Promise<Map<string, string[]>> {
  const units = [...new Set(rows.filter((row) => row.action === 'READ_STREET_ADDRESS').map((row) => row.subjectId))];
  if (!units.length) return new Map();
  const found = await tx.execute<{ unit_id: string; ids: string[] }[]>(
    `select unit_id, array_agg(id::text order by id) as ids
       from booking
      where unit_id = any(?::uuid[]) and placement_id is not null
        and (status = 'CONFIRMED' or (status = 'ENDED' and ends_on > (now() at time zone 'Europe/Stockholm')::date))
      group by unit_id`,
    [`{${units.join(',')}}`],
  );
  return new Map(found.map((row) => [row.unit_id, row.ids]));
}

/** Appends rows to the chain under an advisory lock, so concurrent requests never fork it. */
export async function appendAuditRecords(em: EntityManager, rows: readonly NewAuditRow[]): Promise<void> {
  if (!rows.length) return;
  await em.fork().transactional((tx) => appendAuditRecordsIn(tx, rows));
}

/** Takes the chain's lock in the transaction `tx` (held until it ends; taking it twice is harmless). */
export async function lockAuditChain(tx: EntityManager): Promise<void> {
  // `tx.execute` runs inside this transaction; `getConnection().execute` would not (it takes
  // another pooled connection), releasing the xact lock at once and forking the chain.
  await tx.execute('select pg_advisory_xact_lock(?)', [CHAIN_LOCK_KEY]);
}

/** appendAuditRecords inside a transaction the caller runs (e.g. with the change the rows record). */
export async function appendAuditRecordsIn(tx: EntityManager, rows: readonly NewAuditRow[]): Promise<void> {
  await lockAuditChain(tx);
  const [last] = await tx.execute<{ seq: string; hash: string }[]>('select seq, hash from audit_log order by seq desc limit 1');
  let seq = Number(last?.seq ?? 0);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const concerned = await bookingsConcerned(tx, rows);
  const occurredAt = new Date().toISOString();
  const values: unknown[][] = [];
  for (const row of rows) {
    seq += 1;
    const concernsBookings = row.action === 'READ_STREET_ADDRESS' ? (concerned.get(row.subjectId) ?? []) : [];
    const record: AuditRecord = { ...row, seq, occurredAt, prevHash, concernsBookings };
    const hash = auditHash(record);
    values.push([
      seq,
      occurredAt,
      record.actorSub,
      `{${record.actorRoles.join(',')}}`,
      record.actorMunicipality,
      record.action,
      record.subjectType,
      record.subjectId,
      record.purpose,
      record.requestId,
      prevHash,
      hash,
      `{${concernsBookings.join(',')}}`,
    ]);
    prevHash = hash;
  }
  // Multi-row inserts: a request that reads many subjects costs a few statements, not one per subject.
  for (let start = 0; start < values.length; start += AUDIT_INSERT_CHUNK) {
    const chunk = values.slice(start, start + AUDIT_INSERT_CHUNK);
    await tx.execute(
      `insert into audit_log (seq, occurred_at, actor_sub, actor_roles, actor_municipality, action, subject_type, subject_id, purpose, request_id, prev_hash, hash, concerns_bookings)
       values ${chunk.map(() => '(?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[])').join(', ')}`,
      chunk.flat(),
    );
  }
}

/** Rows per insert statement: 13 parameters each, well under PostgreSQL's 65 535. */
const AUDIT_INSERT_CHUNK = 1000;
