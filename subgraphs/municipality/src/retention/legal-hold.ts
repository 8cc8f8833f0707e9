import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationFailedError } from '@sodertorn/service-kit';
import { appendAuditRecordsIn } from '../audit/audit-log';

/** The decision a hold rests on: a diary or case number (e.g. `KS 2026/123`), never free text about the person. */
const HOLD_REFERENCE = /^[A-Za-z0-9åäöÅÄÖ .:/_-]{1,60}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface HoldChange {
  municipalityCode: string;
  participantId: string;
  /** Who places or lifts it (the job's or operator's account), recorded with the change. */
  by: string;
}

/**
 * Puts a legal hold on one case: `cull` keeps the participant, its placement requests, what the
 * region holds under them, and the audit rows about it, until the hold is lifted. The hold and its
 * lifting are each recorded in the audit chain. Runs as the owner role (the runtime role may only
 * read legal_hold). Placing a hold on a case already held changes nothing.
 */
export async function placeLegalHold(em: EntityManager, change: HoldChange & { reference: string }): Promise<'placed' | 'already held'> {
  if (!UUID.test(change.participantId)) throw ValidationFailedError.of('participantId', 'must be a participant id (a UUID)');
  if (!HOLD_REFERENCE.test(change.reference))
    throw ValidationFailedError.of('reference', 'must be the decision’s diary or case number: 1–60 letters, digits, spaces and . : / _ -');
  return em.fork().transactional(async (tx) => {
    const [participant] = await tx.execute('select 1 from participant where id = ?', [change.participantId]);
    if (!participant) throw ValidationFailedError.of('participantId', 'no participant of this municipality has this id');
    const inserted = await tx.execute<{ participant_id: string }[]>(
      `insert into legal_hold (participant_id, reference, placed_by, placed_at) values (?, ?, ?, now()) on conflict do nothing returning participant_id`,
      [change.participantId, change.reference, change.by],
    );
    if (!inserted.length) return 'already held';
    await recordHold(tx, change, 'LEGAL_HOLD_PLACED', change.reference);
    return 'placed';
  });
}

/** Lifts a case's legal hold (recorded in the audit chain); the next cull treats the case by its dates again. */
export async function liftLegalHold(em: EntityManager, change: HoldChange): Promise<'lifted' | 'not held'> {
  if (!UUID.test(change.participantId)) throw ValidationFailedError.of('participantId', 'must be a participant id (a UUID)');
  return em.fork().transactional(async (tx) => {
    const deleted = await tx.execute<{ reference: string }[]>(`delete from legal_hold where participant_id = ? returning reference`, [change.participantId]);
    if (!deleted.length) return 'not held';
    await recordHold(tx, change, 'LEGAL_HOLD_LIFTED', deleted[0]!.reference);
    return 'lifted';
  });
}

/** The legal holds in force: participant id, decision reference, since when. */
export async function listLegalHolds(em: EntityManager): Promise<{ participantId: string; reference: string; placedAt: string }[]> {
  const rows = await em.execute<{ participant_id: string; reference: string; placed_at: Date }[]>(
    'select participant_id, reference, placed_at from legal_hold order by placed_at',
  );
  return rows.map((r) => ({ participantId: r.participant_id, reference: r.reference, placedAt: new Date(r.placed_at).toISOString() }));
}

async function recordHold(tx: EntityManager, change: HoldChange, action: 'LEGAL_HOLD_PLACED' | 'LEGAL_HOLD_LIFTED', reference: string): Promise<void> {
  await appendAuditRecordsIn(tx, [
    {
      actorSub: change.by,
      actorRoles: [],
      actorMunicipality: change.municipalityCode,
      action,
      subjectType: 'Participant',
      subjectId: change.participantId,
      purpose: `legal hold ${reference}`,
      requestId: `legal-hold-${Date.now()}`,
    },
  ]);
}
