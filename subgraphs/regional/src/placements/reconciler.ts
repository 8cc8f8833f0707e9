import type { EntityManager } from '@mikro-orm/postgresql';
import { type Logger, todayInStockholm } from '@sodertorn/service-kit';
import { recordReconcileOutcome } from '../notifications/reconcile-events';
import { Placement } from './placement.entity';
import { PlacementStatus } from './placement.enums';
import type { PlacementSaga } from './placement-saga';
import type { ShardClient } from '@sodertorn/shard-client';
import { ShardSteps, type ShardBooking, type ShardRequest } from './shard-steps';

export interface ReconcileReport {
  expiredOffers: number;
  failedPendingOffers: number;
  stepsFinished: number;
  orphanHoldsReleased: number;
  requestsReopened: number;
  acceptancesCompleted: number;
  unreachable: string[];
}

export interface ReconcileOptions {
  /** The clock (tests move it). */
  now?: Date;
  /** How long a step or an offer may be in flight before the reconciler takes it over (default: the saga's). */
  graceMs?: number;
}

const { PENDING_OFFER, OFFERED, ACCEPTED, ACTIVE, ENDED, EXPIRED, FAILED } = PlacementStatus;
/** Statuses in which a placement uses its booking and its request. */
const LIVE: ReadonlySet<PlacementStatus> = new Set([PENDING_OFFER, OFFERED, ACCEPTED, ACTIVE]);
/** The request status each placement status expects on the sending shard. */
const REQUEST_STATUS_OF: Partial<Record<PlacementStatus, string>> = { [OFFERED]: 'OFFERED', [ACCEPTED]: 'ACCEPTED', [ACTIVE]: 'ACTIVE', [ENDED]: 'ENDED' };
/** The request's statuses along a placement, in order. */
const REQUEST_ORDER = ['OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED'];

type ShardState = { bookings: ShardBooking[]; requests: ShardRequest[] };

/**
 * Compares the three parties and brings them into step. First it reads every shard's
 * bookings and requests that belong to placements, then, per placement:
 * - a step left pending (its shard did not answer) is finished by making its calls again;
 * - an offer stuck half way is failed and what it held released;
 * - an offer whose hold lapsed is expired — unless the receiving shard has confirmed its
 *   booking, which only an accept does: then the accept is finished, never undone;
 * - a hold or booking without a live placement is released (an orphan), a booking of an ended
 *   placement is ended;
 * - a request behind its placement is brought up to it, one whose placement is over is reopened.
 * Every repair is an idempotent shard step, so running it twice, or alongside the saga, does no
 * harm. Shards that do not answer are named and left for the next run.
 */
export async function reconcilePlacements(
  em: EntityManager,
  client: ShardClient,
  saga: PlacementSaga,
  logger: Logger,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const graceCutoff = new Date(now.getTime() - (options.graceMs ?? saga.graceMs));
  const steps = new ShardSteps(client);
  const report: ReconcileReport = {
    expiredOffers: 0,
    failedPendingOffers: 0,
    stepsFinished: 0,
    orphanHoldsReleased: 0,
    requestsReopened: 0,
    acceptancesCompleted: 0,
    unreachable: [],
  };
  // Error class, code and municipality only: a shard's message is its own text, not for the regional log.
  const attempt = async (what: () => Promise<void>) =>
    what().catch((error: unknown) => {
      const extensions = (error as { extensions?: { code?: unknown; municipalityCode?: unknown } }).extensions;
      logger.warn(
        { errorClass: (error as Error).constructor?.name, code: extensions?.code, municipalityCode: extensions?.municipalityCode },
        'reconcile step failed; it will be retried',
      );
    });

  // Read the shards first, then the placements: a placement is written before its first shard call,
  // so every booking or request read here already has its placement.
  const states = new Map<string, ShardState>();
  const today = todayInStockholm(now);
  for (const code of client.codes()) {
    try {
      states.set(code, await steps.placementState(code, today));
    } catch (error) {
      report.unreachable.push(code);
      logger.warn(
        { errorClass: (error as Error).constructor?.name, code: (error as { extensions?: { code?: unknown } }).extensions?.code, municipalityCode: code },
        'reconcile could not read a municipality; it is left for the next run',
      );
    }
  }
  // Placements repaired in this run are left out of the comparison below: it reads the shards as they were before.
  const touched = new Set<string>();
  const reachable = (p: Placement) => states.has(p.sendingMunicipality) && states.has(p.receivingMunicipality);
  const bookingOf = (p: Placement) => states.get(p.receivingMunicipality)?.bookings.find((b) => b.id === p.bookingId);

  for (const placement of await em.createQueryBuilder(Placement).where('pending_step is not null').getResult()) {
    if (!reachable(placement) || new Date(placement.pendingStep!.since) > graceCutoff) continue;
    touched.add(placement.id);
    await attempt(async () => {
      await saga.finish(em, placement);
      report.stepsFinished += 1;
    });
  }
  for (const placement of await em.find(Placement, { status: PENDING_OFFER, createdAt: { $lt: graceCutoff } })) {
    if (!reachable(placement)) continue;
    touched.add(placement.id);
    await attempt(async () => {
      await saga.releaseAndReopen(placement);
      await saga.move(em, placement, FAILED, 'reconciler', 'the offer never completed; what it held was released', null);
      report.failedPendingOffers += 1;
    });
  }
  // (pending_step in SQL: a JSON property's conditions would be read as conditions on its keys.)
  const lapsed = em
    .createQueryBuilder(Placement)
    .where({ status: OFFERED, holdExpiresAt: { $lt: now } })
    .andWhere('pending_step is null');
  for (const placement of await lapsed.getResult()) {
    if (!reachable(placement)) continue;
    touched.add(placement.id);
    await attempt(async () => {
      if (bookingOf(placement)?.status === 'CONFIRMED') {
        // Only an accept confirms a placement's booking: finish that accept rather than undo it.
        placement.pendingStep = {
          to: ACCEPTED,
          key: `${placement.id}:accept-found-confirmed`,
          actorSub: 'reconciler',
          note: 'accepted at the receiving municipality',
          since: now.toISOString(),
        };
        await saga.finish(em, placement);
        report.stepsFinished += 1;
        return;
      }
      await saga.releaseAndReopen(placement);
      await saga.move(em, placement, EXPIRED, 'reconciler', 'the hold expired before the offer was accepted', null);
      report.expiredOffers += 1;
    });
  }

  const referenced = [...states.values()]
    .flatMap((s) => [...s.bookings.map((b) => b.placementId!), ...s.requests.map((r) => r.placementId)])
    .filter((id): id is string => !!id);
  const placements = new Map((await em.find(Placement, { id: { $in: [...new Set(referenced)] } })).map((p) => [p.id, p]));
  for (const [code, state] of states) {
    for (const booking of state.bookings.filter((b) => b.status === 'HELD' || b.status === 'CONFIRMED')) {
      const placement = placements.get(booking.placementId!);
      if (touched.has(booking.placementId!)) continue;
      if (placement && (placement.pendingStep || placement.status === PENDING_OFFER)) continue; // being finished, or the saga may still record it
      if (placement && placement.bookingId === booking.id && LIVE.has(placement.status)) continue;
      if (placement?.bookingId === booking.id && placement.status === ENDED && booking.status === 'CONFIRMED') {
        await attempt(async () => {
          await steps.endBooking(code, `${placement.id}:end-booking`, booking.id, placement.endsOn);
          report.stepsFinished += 1;
        });
        continue;
      }
      await attempt(async () => {
        await steps.releaseBooking(code, `${booking.placementId}:release-orphan:${booking.id}`, booking.id);
        report.orphanHoldsReleased += 1;
      });
    }
    for (const request of state.requests) {
      const placement = request.placementId ? placements.get(request.placementId) : undefined;
      if (request.placementId && touched.has(request.placementId)) continue;
      if (placement?.pendingStep || placement?.status === PENDING_OFFER) continue;
      const expected = placement && REQUEST_STATUS_OF[placement.status];
      if (request.status === expected) continue;
      if (placement && expected && REQUEST_ORDER.indexOf(request.status) < REQUEST_ORDER.indexOf(expected)) {
        await attempt(async () => {
          await bringRequestUpTo(steps, code, placement, request);
          report.acceptancesCompleted += 1;
        });
      } else if (!expected && (request.status === 'OFFERED' || request.status === 'ACCEPTED')) {
        await attempt(async () => {
          await steps.reopenRequest(code, `${request.placementId ?? 'none'}:reopen-orphan:${request.id}`, request.id);
          report.requestsReopened += 1;
        });
      }
    }
  }
  if (Object.values(report).some((v) => (Array.isArray(v) ? v.length : v))) logger.info({ report }, 'placements reconciled');
  await recordReconcileOutcome(em, report, [...states.keys()], now);
  return report;
}

/** Moves a request that lags behind its placement forward, one step at a time, with the saga's own keys. */
async function bringRequestUpTo(steps: ShardSteps, code: string, placement: Placement, request: ShardRequest): Promise<void> {
  const target = REQUEST_ORDER.indexOf(REQUEST_STATUS_OF[placement.status]!);
  for (let at = REQUEST_ORDER.indexOf(request.status); at < target; at += 1) {
    const next = REQUEST_ORDER[at + 1];
    if (next === 'ACCEPTED') await steps.markAccepted(code, `${placement.id}:accepted`, request.id);
    if (next === 'ACTIVE') await steps.recordMoveIn(code, `${placement.id}:move-in`, request.id);
    if (next === 'ENDED') await steps.recordEnd(code, `${placement.id}:end`, request.id);
  }
}
