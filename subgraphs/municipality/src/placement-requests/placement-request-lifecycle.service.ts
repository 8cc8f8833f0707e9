import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, ValidationFailedError } from '@sodertorn/service-kit';
import { InvalidTransitionError } from '@sodertorn/service-kit';
import { isUuid } from '@sodertorn/service-kit';
import { EXITED_PHASES, ParticipantPhase } from '../participants/participant.enums';
import { Participant } from '../participants/participant.entity';
import { PlacementRequest } from './placement-request.entity';
import { PlacementRequestStatus } from './placement-request.enums';

const { DRAFT, OPEN, MATCHED, OFFERED, ACCEPTED, ACTIVE, ENDED, CANCELLED } = PlacementRequestStatus;

export interface Transition {
  from: readonly PlacementRequestStatus[];
  to: PlacementRequestStatus;
}

/**
 * The request side of DESIGN.md's placement lifecycle. MATCHED (a proposal) is
 * regional bookkeeping: the shard goes straight from OPEN to OFFERED.
 */
export const REQUEST_TRANSITIONS = {
  offer: { from: [OPEN], to: OFFERED },
  reopen: { from: [OFFERED, ACCEPTED], to: OPEN },
  accept: { from: [OFFERED], to: ACCEPTED },
  moveIn: { from: [ACCEPTED], to: ACTIVE },
  end: { from: [ACTIVE], to: ENDED },
  cancel: { from: [DRAFT, OPEN, MATCHED, OFFERED, ACCEPTED, ACTIVE], to: CANCELLED },
} as const satisfies Record<string, Transition>;

/** Loads the request for update (row lock) and moves it along `transition`, or refuses with INVALID_TRANSITION. */
async function transition(tx: EntityManager, id: string, step: Transition): Promise<PlacementRequest> {
  const request = isUuid(id) ? await tx.findOne(PlacementRequest, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!request) throw new NotFoundError('Placement request', id);
  if (!step.from.includes(request.status)) throw InvalidTransitionError.between('Placement request', id, request.status, step.to, step.from);
  request.status = step.to;
  return request;
}

/** OPEN → OFFERED: a unit is held for the participant in the regional placement `placementId`. */
export async function markOffered(tx: EntityManager, id: string, placementId: string): Promise<PlacementRequest> {
  if (!isUuid(placementId)) throw ValidationFailedError.of('placementId', 'must be a UUID');
  const request = await transition(tx, id, REQUEST_TRANSITIONS.offer);
  request.placementId = placementId;
  return request;
}

/** OFFERED | ACCEPTED → OPEN: the offer was declined, expired or withdrawn; the request waits again. */
export async function reopen(tx: EntityManager, id: string): Promise<PlacementRequest> {
  const request = await transition(tx, id, REQUEST_TRANSITIONS.reopen);
  request.placementId = null;
  return request;
}

/** OFFERED → ACCEPTED. */
export async function markAccepted(tx: EntityManager, id: string): Promise<PlacementRequest> {
  return transition(tx, id, REQUEST_TRANSITIONS.accept);
}

/** ACCEPTED → ACTIVE, and the participant's phase becomes PLACED. */
export async function recordMoveIn(tx: EntityManager, id: string): Promise<PlacementRequest> {
  const request = await transition(tx, id, REQUEST_TRANSITIONS.moveIn);
  const participant = await tx.findOneOrFail(Participant, { id: request.participant.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (EXITED_PHASES.has(participant.phase) || participant.exitDate) {
    // The region's saga makes this step and passes refusals on to the other municipality: no phase or outcome in the message.
    throw ValidationFailedError.of('id', 'the participant behind this request can no longer be placed; cancel the request instead');
  }
  participant.phase = ParticipantPhase.PLACED;
  return request;
}

/** ACTIVE → ENDED: the participant has moved out. Their phase is left to the caseworker. */
export async function recordPlacementEnd(tx: EntityManager, id: string): Promise<PlacementRequest> {
  return transition(tx, id, REQUEST_TRANSITIONS.end);
}

/**
 * Any status but ENDED and CANCELLED → CANCELLED. The placement id is kept for the record.
 * Staff (not the region's service) may cancel only a request no placement is using.
 */
export async function cancel(tx: EntityManager, id: string, options: { byRegion: boolean }): Promise<PlacementRequest> {
  if (!options.byRegion) {
    const request = isUuid(id) ? await tx.findOne(PlacementRequest, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (request?.placementId && [OFFERED, ACCEPTED, ACTIVE].includes(request.status)) {
      const instead = request.status === ACTIVE ? 'end the placement (endPlacement) instead' : 'cancel the placement (cancelPlacement) instead';
      throw InvalidTransitionError.placementInFlight('Placement request', id, request.placementId, instead);
    }
  }
  return transition(tx, id, REQUEST_TRANSITIONS.cancel);
}
