import type { HousingUnitKind } from '../housing/housing-unit.enums';
import type { ResultCodec } from '../idempotency/idempotency';
import type { PlacementRequestStatus, SupportNeed, Urgency } from './placement-request.enums';

/**
 * What the GraphQL type reads of a placement request: the entity, or the copy
 * of it an idempotent mutation stored and gives back on a replay.
 */
export interface PlacementRequestRecord {
  id: string;
  participant: { id: string };
  status: PlacementRequestStatus;
  urgency: Urgency;
  earliestStart: string;
  expectedDurationDays: number;
  needsWheelchairAccess: boolean;
  supportNeeds: SupportNeed[];
  allowedKinds: HousingUnitKind[];
  placementId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface StoredPlacementRequest extends Omit<PlacementRequestRecord, 'participant' | 'createdAt' | 'updatedAt'> {
  participantId: string;
  createdAt: string;
  updatedAt: string;
}

/** Stores a request as it was when the mutation returned it; no personal data is in it. */
export const placementRequestCodec: ResultCodec<PlacementRequestRecord> = {
  toJson: (r): StoredPlacementRequest => ({
    id: r.id,
    participantId: r.participant.id,
    status: r.status,
    urgency: r.urgency,
    earliestStart: r.earliestStart,
    expectedDurationDays: r.expectedDurationDays,
    needsWheelchairAccess: r.needsWheelchairAccess,
    supportNeeds: [...r.supportNeeds],
    allowedKinds: [...r.allowedKinds],
    placementId: r.placementId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }),
  fromJson: (json) => {
    const { participantId, createdAt, updatedAt, ...rest } = json as StoredPlacementRequest;
    return { ...rest, participant: { id: participantId }, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
  },
};
