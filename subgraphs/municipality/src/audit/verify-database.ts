import { Client } from 'pg';
import { verifyAuditChain, type ChainProblem } from './audit-chain';

export interface AuditVerification {
  rows: number;
  problems: ChainProblem[];
}

/** Reads a municipality's whole audit log and checks its hash chain. */
export async function verifyAuditLogAt(databaseUrl: string): Promise<AuditVerification> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `select seq, occurred_at, actor_sub, actor_roles, actor_municipality, action, subject_type, subject_id, purpose, request_id, prev_hash, hash, concerns_bookings::text[] as concerns_bookings, culled_in
         from audit_log order by seq`,
    );
    const records = rows.map((r) => ({
      seq: Number(r.seq),
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorSub: r.actor_sub,
      actorRoles: r.actor_roles,
      actorMunicipality: r.actor_municipality,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      purpose: r.purpose,
      requestId: r.request_id,
      prevHash: r.prev_hash,
      hash: r.hash,
      concernsBookings: r.concerns_bookings,
      culledIn: r.culled_in,
    }));
    return { rows: records.length, problems: verifyAuditChain(records) };
  } finally {
    await db.end();
  }
}
