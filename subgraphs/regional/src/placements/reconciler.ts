import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, type Logger, todayInStockholm } from '@sodertorn/service-kit';
import { Placement } from './placement.entity';
import { PlacementStatus } from './placement.enums';
import type { PlacementSaga } from './placement-saga';
import type { ShardClient } from './shard-client';
import { ShardSteps, type ShardBooking, type ShardRequest } from './shard-steps';

export interface ReconcileReport {
  expiredOffers: number;
  failedPendingOffers: number;
  orphanHoldsReleased: number;
  requestsReopened: number;
  acceptancesCompleted: number;
  unreachable: string[];
}

const { PENDING_OFFER, OFFERED, ACCEPTED, EXPIRED, FAILED } = PlacementStatus;
/** An offer still in flight after this long has lost its caller: fail it and undo what it held. */
const PENDING_GRACE_MS = 2 * 60_000;

/**
 * Compares the three parties and repairs any mismatch: offers whose hold
 * expired, offers stuck half way, holds without a live placement (orphans),
 * requests marked offered without a live offer, and acceptances not yet
 * recorded on the sending side. Every repair is an idempotent shard step, so
 * running it twice, or alongside the saga, does no harm.
 */
export async function reconcilePlacements(em: EntityManager, client: ShardClient, saga: PlacementSaga, logger: Logger, now = new Date()): Promise<ReconcileReport> {
  const steps = new ShardSteps(client);
  const report: ReconcileReport = { expiredOffers: 0, failedPendingOffers: 0, orphanHoldsReleased: 0, requestsReopened: 0, acceptancesCompleted: 0, unreachable: [] };
  // Error class, code and municipality only: a shard's message is its own text, not for the regional log.
  const attempt = async (what: () => Promise<void>) =>
    what().catch((error: unknown) => {
      const extensions = (error as { extensions?: { code?: unknown; municipalityCode?: unknown } }).extensions;
      const municipalityCode = extensions?.municipalityCode ?? (error as { municipalityCode?: unknown }).municipalityCode;
      logger.warn({ errorClass: (error as Error).constructor?.name, code: extensions?.code, municipalityCode }, 'reconcile step failed; it will be retried');
    });

  for (const placement of await em.find(Placement, { status: OFFERED, holdExpiresAt: { $lt: now } })) {
    await attempt(async () => {
      await saga.releaseAndReopen(placement);
      await saga.move(em, placement, EXPIRED, 'reconciler', 'the hold expired before the offer was accepted', null);
      report.expiredOffers += 1;
    });
  }
  for (const placement of await em.find(Placement, { status: PENDING_OFFER, createdAt: { $lt: new Date(now.getTime() - PENDING_GRACE_MS) } })) {
    await attempt(async () => {
      await saga.releaseAndReopen(placement);
      await saga.move(em, placement, FAILED, 'reconciler', 'the offer never completed; what it held was released', null);
      report.failedPendingOffers += 1;
    });
  }

  const live = new Map((await em.find(Placement, { status: { $in: [PENDING_OFFER, OFFERED, ACCEPTED, PlacementStatus.ACTIVE] } })).map((p) => [p.id, p]));
  const today = todayInStockholm(now);
  for (const code of client.codes()) {
    let state: { bookings: ShardBooking[]; requests: ShardRequest[] };
    try {
      state = await steps.placementState(code, addDays(today, -365), addDays(today, 365));
    } catch {
      report.unreachable.push(code);
      continue;
    }
    for (const booking of state.bookings.filter((b) => b.status === 'HELD' || b.status === 'CONFIRMED')) {
      const placement = live.get(booking.placementId!);
      if (placement && placement.bookingId === booking.id) continue;
      if (placement && placement.status === PENDING_OFFER) continue; // the saga may still record it
      await attempt(async () => {
        await steps.releaseBooking(code, `${booking.placementId}:release-orphan:${booking.id}`, booking.id);
        report.orphanHoldsReleased += 1;
      });
    }
    for (const request of state.requests) {
      const placement = request.placementId ? live.get(request.placementId) : undefined;
      if (request.status === 'OFFERED' && placement?.status === ACCEPTED) {
        await attempt(async () => {
          await steps.markAccepted(code, `${placement.id}:accepted`, request.id);
          report.acceptancesCompleted += 1;
        });
      } else if (!placement || (placement.status !== OFFERED && placement.status !== PENDING_OFFER && placement.status !== ACCEPTED)) {
        await attempt(async () => {
          await steps.reopenRequest(code, `${request.placementId ?? 'none'}:reopen-orphan:${request.id}`, request.id);
          report.requestsReopened += 1;
        });
      }
    }
  }
  if (Object.values(report).some((v) => (Array.isArray(v) ? v.length : v))) logger.info({ report }, 'placements reconciled');
  return report;
}
