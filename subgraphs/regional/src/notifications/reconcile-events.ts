import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReconcileReport } from '../placements/reconciler';
import { COORDINATORS } from './event-types';
import { MunicipalityReachability } from './municipality-reachability.entity';
import { NotificationEvent } from './notification-event.entity';

/**
 * Records what a reconcile run saw and did, for the coordinators: which municipalities did not
 * answer (an outage starts; the dispatcher tells of it once it has lasted long enough), which
 * answer again after an outage that was told ("available", once), and repairs made (expired
 * offers are routine and go to the caseworkers as `placement.expired` instead). One flush.
 */
export async function recordReconcileOutcome(em: EntityManager, report: ReconcileReport, reachable: readonly string[], now: Date): Promise<void> {
  const codes = [...reachable, ...report.unreachable];
  const rows = new Map((await em.find(MunicipalityReachability, { code: { $in: codes } })).map((r) => [r.code, r]));
  for (const code of report.unreachable) {
    const row = rows.get(code) ?? new MunicipalityReachability(code);
    row.unreachableSince ??= now;
    em.persist(row);
  }
  for (const code of reachable) {
    const row = rows.get(code);
    if (!row?.unreachableSince) continue;
    if (row.unavailableEventId) em.persist(new NotificationEvent('municipality.available', [COORDINATORS], { municipality: code, unreachableSince: row.unreachableSince.toISOString() }));
    row.unreachableSince = null;
    row.unavailableEventId = null;
  }
  const { unreachable: _unreachable, expiredOffers: _expired, ...repairs } = report;
  if (Object.values(repairs).some((n) => n > 0)) em.persist(new NotificationEvent('reconcile.repaired', [COORDINATORS], { repairs }));
  await em.flush();
}
