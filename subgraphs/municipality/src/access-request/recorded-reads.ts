import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedReadType } from './recorded-read.type';

interface ReadRow {
  seq: string;
  occurred_at: Date;
  actor_sub: string;
  actor_roles: string[];
  actor_municipality: string | null;
  action: string;
  subject_type: string;
  purpose: string | null;
}

const COLUMNS = 'seq, occurred_at, actor_sub, actor_roles, actor_municipality, action, subject_type, purpose';

const toRead =
  (municipalityCode: string) =>
  (row: ReadRow): RecordedReadType => ({
    municipalityCode,
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at),
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    actorMunicipality: row.actor_municipality,
    action: row.action,
    subjectType: row.subject_type,
    purpose: row.purpose,
  });

/**
 * Every row of this municipality's audit log whose subject is the participant: reads of their
 * record, access requests for them, and auditors' reads of the log about them. Oldest first, and
 * all of them: a register extract is not paged.
 */
export async function readsOfParticipant(em: EntityManager, municipalityCode: string, participantId: string): Promise<RecordedReadType[]> {
  const rows = await em.execute<ReadRow[]>(`select ${COLUMNS} from audit_log where subject_id = ? order by seq`, [participantId]);
  return rows.map(toRead(municipalityCode));
}

/**
 * The reads of a unit's street address that concern one placement booking (recorded with the
 * row when it was read, see audit-log.ts), oldest first.
 */
export async function addressReadsOfBooking(em: EntityManager, municipalityCode: string, bookingId: string): Promise<RecordedReadType[]> {
  const rows = await em.execute<ReadRow[]>(
    `select ${COLUMNS} from audit_log where action = 'READ_STREET_ADDRESS' and concerns_bookings @> array[?]::uuid[] order by seq`,
    [bookingId],
  );
  return rows.map(toRead(municipalityCode));
}
