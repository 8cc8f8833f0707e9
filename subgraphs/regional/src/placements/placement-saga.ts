import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import {
  addDays,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  MunicipalityUnavailableError,
  NotFoundError,
  ValidationFailedError,
} from '@sodertorn/service-kit';
import { placementMoveEvent } from '../notifications/event-types';
import { PlacementEvent } from './placement-event.entity';
import { Placement, type PendingStep } from './placement.entity';
import { PlacementStatus } from './placement.enums';
import { ShardRefusal, ShardUnavailable, type ShardClient } from '@sodertorn/shard-client';
import { lookUpRequest, lookUpUnit } from './shard-lookups';
import { assertOfferable } from './offer-checks';
import { ShardSteps } from './shard-steps';
import { stepInProgress, stepLeftPending } from './step-errors';

export interface OfferInput {
  requestMunicipality: string;
  requestId: string;
  unitMunicipality: string;
  unitId: string;
}

export interface SagaSettings {
  holdMinutes: number;
  /** How long a step or an offer may be in flight before the reconciler takes it over. */
  graceMs: number;
}

/** The statuses a step moves a placement to after the offer, and the statuses it may start from. */
const STEP_SOURCES = {
  [PlacementStatus.ACCEPTED]: [PlacementStatus.OFFERED],
  [PlacementStatus.DECLINED]: [PlacementStatus.OFFERED],
  [PlacementStatus.ACTIVE]: [PlacementStatus.ACCEPTED],
  [PlacementStatus.ENDED]: [PlacementStatus.ACTIVE],
  [PlacementStatus.CANCELLED]: [PlacementStatus.OFFERED, PlacementStatus.ACCEPTED],
} as const satisfies Partial<Record<PlacementStatus, readonly PlacementStatus[]>>;

type StepTarget = keyof typeof STEP_SOURCES;

const { PENDING_OFFER, OFFERED, ACCEPTED, ACTIVE, ENDED, DECLINED, EXPIRED, CANCELLED, FAILED } = PlacementStatus;

/**
 * The placement saga. The sending shard owns the request, the receiving shard
 * owns the booking, the region owns the placement and its history.
 *
 * Every step after the offer is written down on the placement (`pendingStep`)
 * before any shard is called, then made as a list of shard calls, each with a
 * key derived from the placement and the call, so each can be repeated without
 * effect. When a shard does not answer, the outcome there is unknown (a frozen
 * shard may still make the call when it resumes), so the step is left pending
 * and finished later — by a retry with the same idempotency key or by the
 * reconciler — by making the same calls again: roll forward, never guess. A
 * refusal of the first call means nothing happened, and the step is dropped.
 *
 * The offer is different: until the request is marked offered nobody relies on
 * it, so an offer that cannot be finished is FAILED at once, and what it may have
 * held is released (now, or by the reconciler when the shard answers again).
 */
export class PlacementSaga {
  private readonly steps: ShardSteps;

  constructor(
    private readonly client: ShardClient,
    private readonly settings: SagaSettings,
  ) {
    this.steps = new ShardSteps(client);
  }

  /** How long a step or an offer may be in flight before the reconciler takes it over. */
  get graceMs(): number {
    return this.settings.graceMs;
  }

  /** Offers a unit for a request: hold the places, mark the request offered. Replaying the key resumes or returns it. */
  async offer(em: EntityManager, input: OfferInput, actorSub: string, idempotencyKey: string): Promise<Placement> {
    assertIdempotencyKey(idempotencyKey);
    const existing = await em.findOne(Placement, { idempotencyKey });
    if (existing) {
      const same = existing.sendingMunicipality === input.requestMunicipality && existing.requestId === input.requestId && existing.unitId === input.unitId;
      if (!same) throw new IdempotencyKeyReusedError('This idempotency key was used for another offer. Use a new key for a new offer.');
      return existing.status === PENDING_OFFER ? this.completeOffer(em, existing, actorSub) : existing;
    }
    const [request, unit] = await Promise.all([
      lookUpRequest(this.client, input.requestMunicipality, input.requestId),
      lookUpUnit(this.client, input.unitMunicipality, input.unitId),
    ]);
    assertOfferable(request, unit);
    const placement = new Placement({
      sendingMunicipality: input.requestMunicipality,
      requestId: input.requestId,
      receivingMunicipality: input.unitMunicipality,
      unitId: input.unitId,
      places: request.householdSize,
      startsOn: request.earliestStart,
      endsOn: addDays(request.earliestStart, request.expectedDurationDays),
      createdBy: actorSub,
      idempotencyKey,
    });
    em.persist(placement);
    em.persist(new PlacementEvent(placement.id, null, PENDING_OFFER, actorSub, 'offer started', null));
    await em.flush();
    return this.completeOffer(em, placement, actorSub);
  }

  private async completeOffer(em: EntityManager, placement: Placement, actorSub: string): Promise<Placement> {
    try {
      const booking = await this.steps.holdPlaces(placement.receivingMunicipality, `${placement.id}:hold`, {
        unitId: placement.unitId,
        places: placement.places,
        startsOn: placement.startsOn,
        endsOn: placement.endsOn,
        placementId: placement.id,
        sendingMunicipality: placement.sendingMunicipality,
        holdMinutes: this.settings.holdMinutes,
      });
      placement.bookingId = booking.id;
      placement.holdExpiresAt = booking.expiresAt ? new Date(booking.expiresAt) : null;
      await em.flush();
    } catch (error) {
      // No hold, or we cannot know: fail the offer. A hold the shard made anyway is an orphan the reconciler releases.
      await this.move(em, placement, FAILED, actorSub, `hold failed: ${codeOf(error)}`, null);
      throw offerFailed(error, placement, 'a hold it may have made is released automatically when it answers again');
    }
    try {
      await this.steps.markOffered(placement.sendingMunicipality, `${placement.id}:offer`, placement.requestId, placement.id);
    } catch (error) {
      // Compensate: release the hold now; if the receiving shard is unreachable, the reconciler will.
      await this.steps.releaseBooking(placement.receivingMunicipality, `${placement.id}:release`, placement.bookingId!).catch(() => undefined);
      await this.move(em, placement, FAILED, actorSub, `marking the request offered failed: ${codeOf(error)}`, null);
      throw offerFailed(error, placement, 'the places are released and the request stays open (now, or automatically when both municipalities answer)');
    }
    return this.move(em, placement, OFFERED, actorSub, null, null);
  }

  /** The receiving housing manager accepts: the hold becomes a confirmed booking, the request accepted. */
  accept(em: EntityManager, placement: Placement, actorSub: string, key: string): Promise<Placement> {
    return this.begin(em, placement, { to: ACCEPTED, key, actorSub, note: null });
  }

  /** The receiving housing manager (or a coordinator) declines: places free again, the request open again. */
  decline(em: EntityManager, placement: Placement, actorSub: string, key: string, note: string | null): Promise<Placement> {
    return this.begin(em, placement, { to: DECLINED, key, actorSub, note });
  }

  /** The sending caseworker records the move-in. */
  moveIn(em: EntityManager, placement: Placement, actorSub: string, key: string): Promise<Placement> {
    return this.begin(em, placement, { to: ACTIVE, key, actorSub, note: null });
  }

  /** The stay ends: the booking ends on `endsOn` (its places free from then, not before), the request ends. */
  end(em: EntityManager, placement: Placement, actorSub: string, key: string, endsOn: string): Promise<Placement> {
    return this.begin(em, placement, { to: ENDED, key, actorSub, note: null, endsOn });
  }

  /** Cancels before the move-in: releases what was held and opens the request again. */
  cancel(em: EntityManager, placement: Placement, actorSub: string, key: string, note: string | null): Promise<Placement> {
    return this.begin(em, placement, { to: CANCELLED, key, actorSub, note });
  }

  /**
   * Starts a step at most once per idempotency key: a replay of a finished step returns the
   * placement as it is, a replay of a pending one finishes it, a transition from the wrong
   * status is refused, and so is a second step while one is pending.
   */
  private async begin(em: EntityManager, placement: Placement, step: Omit<PendingStep, 'since' | 'to'> & { to: StepTarget }): Promise<Placement> {
    assertIdempotencyKey(step.key);
    const replay = await em.findOne(PlacementEvent, { idempotencyKey: step.key });
    if (replay) {
      if (replay.placementId !== placement.id || replay.toStatus !== step.to) {
        throw new IdempotencyKeyReusedError('This idempotency key was used for another step. Use a new key.');
      }
      return placement;
    }
    const pending = placement.pendingStep;
    if (pending) {
      if (pending.key !== step.key || pending.to !== step.to) throw stepInProgress(placement.id, pending);
      return this.finish(em, placement);
    }
    const from: readonly PlacementStatus[] = STEP_SOURCES[step.to];
    if (!from.includes(placement.status)) {
      throw new InvalidTransitionError(`The placement is ${placement.status}; it can become ${step.to} only from ${from.join(' or ')}. Nothing was changed.`, {
        from: placement.status,
        to: step.to,
      });
    }
    placement.pendingStep = { ...step, since: new Date().toISOString() };
    try {
      await em.flush();
    } catch (error) {
      if (!(error instanceof OptimisticLockError)) throw error;
      // Another step of this placement was started at the same moment and won.
      em.clear();
      const now = await findPlacement(em, placement.id);
      throw stepInProgress(placement.id, now.pendingStep ?? { ...step, since: new Date().toISOString() });
    }
    return this.finish(em, placement);
  }

  /**
   * Makes the shard calls of the placement's pending step and moves it to the step's status.
   * Safe to call again at any time, by anyone: every call is idempotent at its shard. The
   * reconciler calls it for steps left pending.
   */
  async finish(em: EntityManager, placement: Placement): Promise<Placement> {
    const pending = placement.pendingStep;
    if (!pending) return placement;
    const calls = this.callsOf(placement, pending);
    for (const [index, call] of calls.entries()) {
      try {
        await call();
      } catch (error) {
        if (error instanceof ShardUnavailable) throw stepLeftPending(placement.id, pending, error);
        if (pending.to === ACCEPTED && error instanceof ShardRefusal && error.extensions.code === 'HOLD_EXPIRED') {
          await this.releaseAndReopen(placement);
          placement.pendingStep = null;
          await this.move(em, placement, EXPIRED, pending.actorSub, 'the hold had expired when the offer was accepted', null);
          throw error;
        }
        if (index === 0) {
          // Refused before anything changed anywhere: the step did not happen.
          placement.pendingStep = null;
          await em.flush();
        }
        // Refused after an earlier call was made: left pending for the reconciler (and a person) to see.
        throw error;
      }
    }
    placement.pendingStep = null;
    try {
      return await this.move(em, placement, pending.to, pending.actorSub, pending.note, pending.key);
    } catch (error) {
      // A retry and the reconciler finished the same step at once: the other one recorded it.
      if (!(error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException)) throw error;
      em.clear();
      const now = await findPlacement(em, placement.id);
      if (now.status !== pending.to) throw error;
      return now;
    }
  }

  /** The shard calls that make a step, in order; the first one is the one a refusal can still undo everything at. */
  private callsOf(placement: Placement, pending: PendingStep): (() => Promise<unknown>)[] {
    const { receivingMunicipality: receiving, sendingMunicipality: sending, id } = placement;
    switch (pending.to) {
      case ACCEPTED:
        return [
          () => this.steps.confirmBooking(receiving, `${id}:confirm`, placement.bookingId!),
          () => this.steps.markAccepted(sending, `${id}:accepted`, placement.requestId),
        ];
      case ACTIVE:
        return [() => this.steps.recordMoveIn(sending, `${id}:move-in`, placement.requestId)];
      case ENDED:
        return [
          async () => {
            const booking = await this.steps.endBooking(receiving, `${id}:end-booking`, placement.bookingId!, pending.endsOn!);
            placement.endsOn = booking.endsOn; // moved forward when earlier, never later: the booking decides
          },
          () => this.steps.recordEnd(sending, `${id}:end`, placement.requestId),
        ];
      case DECLINED:
      case CANCELLED:
        return [() => this.releasePlaces(placement), () => this.reopenRequest(placement)];
      default:
        throw new Error(`no shard calls for a step to ${pending.to}`);
    }
  }

  /** Releases the booking and reopens the request (both idempotent); used by decline, cancel and the reconciler. */
  async releaseAndReopen(placement: Placement): Promise<void> {
    await this.releasePlaces(placement);
    await this.reopenRequest(placement);
  }

  private async releasePlaces(placement: Placement): Promise<void> {
    if (!placement.bookingId) return;
    await this.steps.releaseBooking(placement.receivingMunicipality, `${placement.id}:release`, placement.bookingId).catch((error: unknown) => {
      // Released already (by the reconciler, as an orphan): the places are free, which is what was asked.
      if (!(error instanceof ShardRefusal && error.details.from === 'RELEASED')) throw error;
    });
  }

  private async reopenRequest(placement: Placement): Promise<void> {
    await this.steps.reopenRequest(placement.sendingMunicipality, `${placement.id}:reopen`, placement.requestId).catch((error: unknown) => {
      // A request that was never marked offered (or is already open again) needs no reopening.
      if (!(error instanceof ShardRefusal && error.extensions.code === 'INVALID_TRANSITION')) throw error;
    });
  }

  async move(em: EntityManager, placement: Placement, to: PlacementStatus, actorSub: string, note: string | null, key: string | null): Promise<Placement> {
    em.persist(new PlacementEvent(placement.id, placement.status, to, actorSub, note, key));
    placement.status = to;
    // The notification of this move, if anyone must act on it: in the same flush, so with it or not at all.
    const notice = placementMoveEvent(placement, to, note);
    if (notice) em.persist(notice);
    await em.flush();
    return placement;
  }
}

/** The longest idempotency key, as the shards take them (and as the key columns hold them). */
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

function assertIdempotencyKey(key: string): void {
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw ValidationFailedError.of('idempotencyKey', `must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
}

export async function findPlacement(em: EntityManager, id: string): Promise<Placement> {
  const placement = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Placement, { id }) : null;
  if (!placement) throw new NotFoundError('Placement', id);
  return placement;
}

/** The code of a shard's answer, for the history: a code, never a shard's own words. */
function codeOf(error: unknown): string {
  return error instanceof GraphQLError ? String(error.extensions.code ?? 'ERROR') : 'unexpected error';
}

/** An offer that became FAILED: a shard's refusal passes on as it is; an unreachable shard is told as what was left. */
function offerFailed(error: unknown, placement: Placement, whatHappensNow: string): unknown {
  if (!(error instanceof ShardUnavailable)) return error;
  return new MunicipalityUnavailableError(error.municipalityCode, error.reason, {
    consequence: `Nothing was offered: placement ${placement.id} is FAILED, and ${whatHappensNow}. Offer again with a new key, or choose another unit.`,
    details: { placementId: placement.id, placementStatus: FAILED },
  });
}
