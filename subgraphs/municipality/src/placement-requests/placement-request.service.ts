import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, todayInStockholm, ValidationFailedError } from '@sodertorn/service-kit';
import { isUuid } from '@sodertorn/service-kit';
import { EXITED_PHASES } from '../participants/participant.enums';
import { Participant } from '../participants/participant.entity';
import { PlacementRequest } from './placement-request.entity';
import { LIVE_REQUEST_STATUSES, PlacementRequestStatus } from './placement-request.enums';
import type { CreatePlacementRequestInput } from './placement-request.inputs';

/** The municipality's placement requests, oldest first (longest waiting first); all statuses when none are named. */
export async function listPlacementRequests(em: EntityManager, statuses: readonly PlacementRequestStatus[] | null | undefined): Promise<PlacementRequest[]> {
  return em.find(PlacementRequest, statuses ? { status: { $in: [...statuses] } } : {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/**
 * Opens a placement request for a participant who is still in the programme and
 * has no other request in progress. The participant row is locked, so two
 * concurrent requests for one participant cannot both pass the check (and a
 * partial unique index refuses the second anyway).
 */
export async function createPlacementRequest(tx: EntityManager, participantId: string, input: CreatePlacementRequestInput): Promise<PlacementRequest> {
  const participant = isUuid(participantId) ? await tx.findOne(Participant, { id: participantId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!participant) throw new NotFoundError('Participant', participantId);
  if (EXITED_PHASES.has(participant.phase) || participant.exitDate) {
    throw ValidationFailedError.of('participantId', `the participant has left the programme (${participant.phase}); a placement cannot be requested`);
  }
  const live = await tx.findOne(PlacementRequest, { participant, status: { $in: [...LIVE_REQUEST_STATUSES] } });
  if (live) throw liveRequestExists(live.status);

  const request = new PlacementRequest(participant, {
    urgency: input.urgency,
    earliestStart: input.earliestStart,
    expectedDurationDays: input.expectedDurationDays,
    allowedKinds: [...new Set(input.allowedKinds)],
    needsWheelchairAccess: input.needsWheelchairAccess,
    supportNeeds: [...new Set(input.supportNeeds ?? [])],
  });
  request.status = PlacementRequestStatus.OPEN;
  try {
    await tx.persistAndFlush(request);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw liveRequestExists(null);
    throw error;
  }
  return request;
}

function liveRequestExists(status: PlacementRequestStatus | null): ValidationFailedError {
  return ValidationFailedError.of(
    'participantId',
    `the participant already has a placement request in progress${status ? ` (${status})` : ''}; end or cancel it first`,
  );
}

/** Whole days from the day the request was made to today, both as dates in Sweden. */
export function waitingDays(createdAt: Date, now: Date = new Date()): number {
  return Math.max(0, Math.round((Date.parse(todayInStockholm(now)) - Date.parse(todayInStockholm(createdAt))) / 86_400_000));
}
