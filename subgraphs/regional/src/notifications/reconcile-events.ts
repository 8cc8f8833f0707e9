import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReconcileReport } from '../placements/reconciler';
import { COORDINATORS } from './event-types';
import { MunicipalityReachability } from './municipality-reachability.entity';
import { NotificationEvent } from './notification-event.entity';

/**
 * Records what a reconcile run saw and did, for the coordinators: which municipalities did not
 * answer (an outage starts; the dispatcher tells of it once it has lasted long enough), which
 * answer again after an outage that was told ("available", once), and repairs made (expired
 * offers are routine and go to the caseworkers as `placement.expired` instead). One transaction;
 * the rows are locked, so two runs at once (the timer and a coordinator) tell an end once.
 */
export async function recordReconcileOutcome(em: EntityManager, report: ReconcileReport, reachable: readonly string[], now: Date): Promise<void> {
  await em.transactional(async (tx) => {
    for (const code of report.unreachable) {
      await tx
        .getConnection()
        .execute(
          `insert into municipality_reachability (code, unreachable_since) values (?, ?) on conflict (code) do nothing`,
          [code, now],
          'run',
          tx.getTransactionContext(),
        );
      await tx.nativeUpdate(MunicipalityReachability, { code, unreachableSince: null }, { unreachableSince: now });
    }
    const ended = reachable.length
      ? await tx.find(MunicipalityReachability, { code: { $in: [...reachable] }, unreachableSince: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE })
      : [];
    for (const row of ended) {
      if (row.unavailableEventId)
        tx.persist(
          new NotificationEvent('municipality.available', [COORDINATORS], { municipality: row.code, unreachableSince: row.unreachableSince!.toISOString() }),
        );
      row.unreachableSince = null;
      row.unavailableEventId = null;
    }
    const { unreachable: _unreachable, expiredOffers: _expired, ...repairs } = report;
    if (Object.values(repairs).some((n) => n > 0)) tx.persist(new NotificationEvent('reconcile.repaired', [COORDINATORS], { repairs }));
  });
}
