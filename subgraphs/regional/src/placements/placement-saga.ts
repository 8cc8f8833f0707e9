import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { addDays, NotFoundError } from '@sodertorn/service-kit';
import { PlacementEvent } from './placement-event.entity';
import { Placement } from './placement.entity';
import { PlacementStatus } from './placement.enums';
import { ShardRefusal, ShardUnreachable, type ShardClient } from './shard-client';
import { lookUpRequest, lookUpUnit } from './shard-lookups';
import { assertOfferable } from './offer-checks';
import { ShardSteps } from './shard-steps';

export interface OfferInput {
  requestMunicipality: string;
  requestId: string;
  unitMunicipality: string;
  unitId: string;
}

export interface SagaSettings {
  holdMinutes: number;
}

const { PENDING_OFFER, OFFERED, ACCEPTED, ACTIVE, ENDED, DECLINED, EXPIRED, CANCELLED, FAILED } = PlacementStatus;

/**
 * The placement saga. The sending shard owns the request, the receiving shard
 * owns the booking, the region owns the placement and its history. Each step
 * on a shard carries a key derived from the placement and the step, so every
 * step can be retried; a step that fails half way is compensated here, and
 * what cannot be compensated now (a shard that is down) the reconciler repairs.
 */
export class PlacementSaga {
  private readonly steps: ShardSteps;

  constructor(
    private readonly client: ShardClient,
    private readonly settings: SagaSettings,
  ) {
    this.steps = new ShardSteps(client);
  }

  /** Offers a unit for a request: hold the places, mark the request offered. Replaying the key resumes or returns it. */
  async offer(em: EntityManager, input: OfferInput, actorSub: string, idempotencyKey: string): Promise<Placement> {
    const existing = await em.findOne(Placement, { idempotencyKey });
    if (existing) {
      const same = existing.sendingMunicipality === input.requestMunicipality && existing.requestId === input.requestId && existing.unitId === input.unitId;
      if (!same) throw new GraphQLError('This idempotency key was used for another offer. Use a new key for a new offer.', { extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
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
    let bookingId = placement.bookingId;
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
      bookingId = booking.id;
      placement.bookingId = booking.id;
      placement.holdExpiresAt = booking.expiresAt ? new Date(booking.expiresAt) : null;
      await em.flush();
    } catch (error) {
      // No hold, or we cannot know: fail the offer. A hold the shard made anyway is an orphan the reconciler releases.
      await this.move(em, placement, FAILED, actorSub, `hold failed: ${reasonOf(error)}`, null);
      throw asClientError(error);
    }
    try {
      await this.steps.markOffered(placement.sendingMunicipality, `${placement.id}:offer`, placement.requestId, placement.id);
    } catch (error) {
      // Compensate: release the hold now; if the receiving shard is unreachable, the reconciler will.
      await this.steps.releaseBooking(placement.receivingMunicipality, `${placement.id}:release`, bookingId!).catch(() => undefined);
      await this.move(em, placement, FAILED, actorSub, `marking the request offered failed: ${reasonOf(error)}; hold released`, null);
      throw asClientError(error);
    }
    return this.move(em, placement, OFFERED, actorSub, null, null);
  }

  /** The receiving housing manager accepts: the hold becomes a confirmed booking. */
  accept(em: EntityManager, placement: Placement, actorSub: string, key: string): Promise<Placement> {
    return this.once(em, placement, key, [OFFERED], ACCEPTED, actorSub, async () => {
      try {
        await this.steps.confirmBooking(placement.receivingMunicipality, `${placement.id}:confirm`, placement.bookingId!);
      } catch (error) {
        if (error instanceof ShardRefusal && error.extensions.code === 'HOLD_EXPIRED') {
          await this.steps.reopenRequest(placement.sendingMunicipality, `${placement.id}:reopen`, placement.requestId).catch(() => undefined);
          await this.move(em, placement, EXPIRED, actorSub, 'the hold had expired when the offer was accepted', null);
        }
        throw asClientError(error);
      }
      await this.steps.markAccepted(placement.sendingMunicipality, `${placement.id}:accepted`, placement.requestId);
    });
  }

  /** The receiving housing manager (or a coordinator) declines: places free again, the request open again. */
  decline(em: EntityManager, placement: Placement, actorSub: string, key: string, note: string | null): Promise<Placement> {
    return this.once(em, placement, key, [OFFERED], DECLINED, actorSub, () => this.releaseAndReopen(placement), note);
  }

  /** The sending caseworker records the move-in. */
  moveIn(em: EntityManager, placement: Placement, actorSub: string, key: string): Promise<Placement> {
    return this.once(em, placement, key, [ACCEPTED], ACTIVE, actorSub, async () => {
      await this.steps.recordMoveIn(placement.sendingMunicipality, `${placement.id}:move-in`, placement.requestId);
    });
  }

  /** The stay ends: the booking ends (its places free from `endsOn`), the request ends. */
  end(em: EntityManager, placement: Placement, actorSub: string, key: string, endsOn: string): Promise<Placement> {
    return this.once(em, placement, key, [ACTIVE], ENDED, actorSub, async () => {
      await this.steps.endBooking(placement.receivingMunicipality, `${placement.id}:end-booking`, placement.bookingId!, endsOn);
      await this.steps.recordEnd(placement.sendingMunicipality, `${placement.id}:end`, placement.requestId);
    });
  }

  /** Cancels before the move-in: releases what was held and opens the request again. */
  cancel(em: EntityManager, placement: Placement, actorSub: string, key: string, note: string | null): Promise<Placement> {
    return this.once(em, placement, key, [PENDING_OFFER, OFFERED, ACCEPTED], CANCELLED, actorSub, () => this.releaseAndReopen(placement), note);
  }

  /** Releases the booking and reopens the request (both idempotent); used by decline, cancel and the reconciler. */
  async releaseAndReopen(placement: Placement): Promise<void> {
    if (placement.bookingId) await this.steps.releaseBooking(placement.receivingMunicipality, `${placement.id}:release`, placement.bookingId);
    await this.steps.reopenRequest(placement.sendingMunicipality, `${placement.id}:reopen`, placement.requestId).catch((error: unknown) => {
      // A request that was never marked offered (or is already open again) needs no reopening.
      if (!(error instanceof ShardRefusal && error.extensions.code === 'INVALID_TRANSITION')) throw error;
    });
  }

  /**
   * Runs one transition at most once per idempotency key: a replay of the key
   * returns the placement as it is; a transition from the wrong status is refused.
   */
  private async once(
    em: EntityManager,
    placement: Placement,
    key: string,
    from: readonly PlacementStatus[],
    to: PlacementStatus,
    actorSub: string,
    work: () => Promise<void>,
    note: string | null = null,
  ): Promise<Placement> {
    const replay = await em.findOne(PlacementEvent, { idempotencyKey: key });
    if (replay) {
      if (replay.placementId !== placement.id || replay.toStatus !== to) {
        throw new GraphQLError('This idempotency key was used for another step. Use a new key.', { extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      }
      return placement;
    }
    if (!from.includes(placement.status)) {
      throw new GraphQLError(`The placement is ${placement.status}; it can become ${to} only from ${from.join(' or ')}.`, {
        extensions: { code: 'INVALID_TRANSITION', from: placement.status, to },
      });
    }
    try {
      await work();
    } catch (error) {
      throw asClientError(error);
    }
    return this.move(em, placement, to, actorSub, note, key);
  }

  async move(em: EntityManager, placement: Placement, to: PlacementStatus, actorSub: string, note: string | null, key: string | null): Promise<Placement> {
    em.persist(new PlacementEvent(placement.id, placement.status, to, actorSub, note, key));
    placement.status = to;
    await em.flush();
    return placement;
  }
}

export async function findPlacement(em: EntityManager, id: string): Promise<Placement> {
  const placement = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Placement, { id }) : null;
  if (!placement) throw new NotFoundError('Placement', id);
  return placement;
}

function reasonOf(error: unknown): string {
  return error instanceof ShardRefusal || error instanceof ShardUnreachable ? error.message : 'unexpected error';
}

/** Shard refusals pass through with their code; an unreachable shard becomes MUNICIPALITY_UNAVAILABLE. */
function asClientError(error: unknown): unknown {
  if (error instanceof ShardUnreachable) {
    return new GraphQLError(`${error.message}. Nothing was left half done: what was held is released (now or by the reconciler). Try again.`, {
      extensions: { code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: error.municipalityCode },
    });
  }
  return error;
}
