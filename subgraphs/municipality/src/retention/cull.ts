import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { CULL_ACTION, TOMBSTONE_ACTION } from '../audit/audit-chain';
import { appendAuditRecordsIn, lockAuditChain } from '../audit/audit-log';
import { DUE_AUDIT_ROWS, lockDueCases, planCull, type CullPlan } from './cull-plan';
import type { RetentionRules } from './retention-settings';

/** What the region removed under the culled cases' placement requests (its answer, counts only). */
export type RegionForgetReport = Record<string, number>;

/** Asks the region to remove what it holds under these placement request ids of this municipality. */
export type ForgetInRegion = (requestIds: string[]) => Promise<RegionForgetReport>;

export interface CullOptions {
  municipalityCode: string;
  rules: RetentionRules;
  /** The moment retention is counted back from, normally now (cases by its day in Stockholm). */
  asOf: Date;
  /** Who runs it (the job's name or client id: not a person's data), recorded in the cull log and the audit chain. */
  runBy: string;
  forgetInRegion: ForgetInRegion;
}

/** One cull, as recorded in `cull_run` and printed: counts only. */
export interface CullReport {
  runId: string;
  casesCulled: number;
  placementRequestsRemoved: number;
  idempotencyRecordsRemoved: number;
  auditRowsTombstoned: number;
  heldCasesSkipped: number;
  casesWithLiveRequestsSkipped: number;
  region: RegionForgetReport;
}

/**
 * Culls what is due, in one transaction of the database's owner role (`em` must connect as the
 * owner: only it may turn audit rows into tombstones, and the runtime role may not write
 * legal_hold or cull_run). Holds and the due cases are read under locks, so a hold placed (or a
 * case reopened) meanwhile waits for the cull, or the cull sees it. The region is asked to forget
 * first, inside the transaction: if it cannot, nothing is removed here and the next run asks again
 * (the region's removal is idempotent); if this transaction then fails, the cases stay and the next
 * run asks again too.
 */
export async function runCull(em: EntityManager, options: CullOptions): Promise<{ plan: CullPlan; report: CullReport }> {
  const runId = randomUUID();
  return em.fork().transactional(async (tx) => {
    await tx.execute('lock table legal_hold in share mode');
    await lockDueCases(tx, options.rules, options.asOf);
    const plan = await planCull(tx, options.rules, options.asOf);
    const participantIds = plan.dueCases.map((c) => c.participantId);
    const requestIds = plan.dueCases.flatMap((c) => c.requestIds);
    const region = requestIds.length ? await options.forgetInRegion(requestIds) : {};
    // The region kept placements for cases closed here: still under way (or mid-step), or not unlinked by their
    // receiving municipality (which did not answer). Removing the requests would leave those placements pointing at
    // nothing, for good. Nothing is culled until they are settled; the region's answer does not say which cause.
    if (region.livePlacementsKept)
      throw new Error(
        `the region kept ${region.livePlacementsKept} placement(s) of cases due to be culled: still under way, or not confirmed by their receiving municipality, which did not answer (the regional subgraph's log names it); nothing was culled. Let the reconciler settle those under way (npm run reconcile, or wait for it), and cull again once the receiving municipality answers`,
      );
    // The chain's lock only now, after the region answered: audited reads wait for it, and must not wait on the network.
    await lockAuditChain(tx);

    const ids = [...participantIds, ...requestIds];
    // Stored results of idempotent steps on these cases (the request or participant id appears in the stored result).
    const idempotency = ids.length
      ? await tx.execute<{ n: string }[]>(
          `with gone as (delete from idempotent_operation where result::text like any(?::text[]) returning 1) select count(*) as n from gone`,
          [`{${ids.map((id) => `"%${id}%"`).join(',')}}`],
        )
      : [{ n: '0' }];
    const requests = participantIds.length
      ? await tx.execute<{ n: string }[]>(
          `with gone as (delete from placement_request where participant_id = any(?::uuid[]) returning 1) select count(*) as n from gone`,
          [pgArray(participantIds)],
        )
      : [{ n: '0' }];
    if (participantIds.length) {
      await tx.execute(`delete from participant where id = any(?::uuid[])`, [pgArray(participantIds)]);
    }
    const tombstoned = await tx.execute<{ n: string }[]>(
      `with gone as (
         update audit_log set actor_sub = '', actor_roles = '{}', actor_municipality = null, action = '${TOMBSTONE_ACTION}',
                subject_type = '', subject_id = '', purpose = null, request_id = '', concerns_bookings = '{}', culled_in = ?
          where ${DUE_AUDIT_ROWS} returning 1)
       select count(*) as n from gone`,
      [runId, options.asOf.toISOString(), options.rules.auditRetentionYears],
    );
    const report: CullReport = {
      runId,
      casesCulled: participantIds.length,
      placementRequestsRemoved: Number(requests[0]!.n),
      idempotencyRecordsRemoved: Number(idempotency[0]!.n),
      auditRowsTombstoned: Number(tombstoned[0]!.n),
      heldCasesSkipped: plan.heldCases.length,
      casesWithLiveRequestsSkipped: plan.casesWithLiveRequests.length,
      region,
    };
    await tx.execute(
      `insert into cull_run (id, started_at, case_retention_years, audit_retention_years, cases_culled, placement_requests_removed, idempotency_records_removed, audit_rows_tombstoned, held_cases_skipped, region, run_by)
       values (?, now(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)`,
      [
        runId,
        options.rules.caseRetentionYears,
        options.rules.auditRetentionYears,
        report.casesCulled,
        report.placementRequestsRemoved,
        report.idempotencyRecordsRemoved,
        report.auditRowsTombstoned,
        report.heldCasesSkipped,
        JSON.stringify(region),
        options.runBy,
      ],
    );
    // The chain's own record of the cull: the tombstones above are accepted because this row names their run.
    await appendAuditRecordsIn(tx, [
      {
        actorSub: options.runBy,
        actorRoles: [],
        actorMunicipality: options.municipalityCode,
        action: CULL_ACTION,
        subjectType: 'CullRun',
        subjectId: runId,
        purpose: `retention: ${report.casesCulled} cases, ${report.auditRowsTombstoned} audit rows`,
        requestId: runId,
      },
    ]);
    return { plan, report };
  });
}

/** A PostgreSQL array literal of ids (uuids: no quoting needed). */
function pgArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
