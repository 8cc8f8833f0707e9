import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInStockholm } from '@sodertorn/service-kit';
import { CULL_ACTION } from '../audit/audit-chain';
import type { RetentionRules } from './retention-settings';

/** A closed case past its retention period: its opaque ids only. */
export interface DueCase {
  participantId: string;
  /** Its placement requests: the region holds its placements under these ids. */
  requestIds: string[];
}

/** What a cull would remove on a given day: opaque ids and counts, never personal data. */
export interface CullPlan {
  /** The day retention is counted back from (Stockholm). */
  today: string;
  /** Closed cases whose exit date is at least `caseRetentionYears` before today, not on hold. */
  dueCases: DueCase[];
  /** Cases otherwise due that a legal hold keeps. */
  heldCases: string[];
  /** Cases otherwise due that still have a placement request in progress (kept: a closed case should have none). */
  casesWithLiveRequests: string[];
  /** Audit rows older than `auditRetentionYears` to be made tombstones (never a cull's own row, nor a held case's). */
  auditRows: { count: number; firstSeq: number | null; lastSeq: number | null };
}

const CLOSED_PHASES = `('COMPLETED', 'DISCONTINUED')`;
const LIVE_REQUEST_STATUSES = `('OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE')`;

/** Audit rows due for culling, as a WHERE clause over `audit_log` (parameters: the moment counted back from, the audit retention in years). */
export const DUE_AUDIT_ROWS = `culled_in is null and action <> '${CULL_ACTION}'
  and occurred_at < ?::timestamptz - make_interval(years => ?)
  and not (subject_type = 'Participant' and subject_id in (select participant_id::text from legal_hold))`;

/**
 * Locks the closed cases past retention (FOR UPDATE) in `tx`, so that a caseworker reopening one
 * meanwhile waits for the cull, or the cull plans with the case reopened.
 */
export async function lockDueCases(tx: EntityManager, rules: RetentionRules, asOf: Date): Promise<void> {
  await tx.execute(
    `select id from participant where phase in ${CLOSED_PHASES} and exit_date is not null and exit_date <= (?::date - make_interval(years => ?))::date for update`,
    [todayInStockholm(asOf), rules.caseRetentionYears],
  );
}

/** Reads what is due in the municipality's database at `asOf` (normally now), in `em`'s transaction if any. */
export async function planCull(em: EntityManager, rules: RetentionRules, asOf: Date): Promise<CullPlan> {
  const today = todayInStockholm(asOf);
  const cases = await em.execute<{ id: string; request_ids: string[]; held: boolean; live: boolean }[]>(
    `select p.id, coalesce(array_agg(r.id::text order by r.id) filter (where r.id is not null), '{}') as request_ids,
            bool_or(h.participant_id is not null) as held, coalesce(bool_or(r.status in ${LIVE_REQUEST_STATUSES}), false) as live
       from participant p
       left join placement_request r on r.participant_id = p.id
       left join legal_hold h on h.participant_id = p.id
      where p.phase in ${CLOSED_PHASES} and p.exit_date is not null and p.exit_date <= (?::date - make_interval(years => ?))::date
      group by p.id
      order by p.id`,
    [today, rules.caseRetentionYears],
  );
  const [audit] = await em.execute<{ count: string; first: string | null; last: string | null }[]>(
    `select count(*) as count, min(seq) as first, max(seq) as last from audit_log where ${DUE_AUDIT_ROWS}`,
    [asOf.toISOString(), rules.auditRetentionYears],
  );
  return {
    today,
    dueCases: cases.filter((c) => !c.held && !c.live).map((c) => ({ participantId: c.id, requestIds: c.request_ids })),
    heldCases: cases.filter((c) => c.held).map((c) => c.id),
    casesWithLiveRequests: cases.filter((c) => !c.held && c.live).map((c) => c.id),
    auditRows: {
      count: Number(audit?.count ?? 0),
      firstSeq: audit?.first === null || audit?.first === undefined ? null : Number(audit.first),
      lastSeq: audit?.last === null || audit?.last === undefined ? null : Number(audit.last),
    },
  };
}
