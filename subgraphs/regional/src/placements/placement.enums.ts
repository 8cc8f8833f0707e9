import { registerEnumType } from 'type-graphql';

/**
 * A placement as the region coordinates it. PENDING_OFFER is the saga in flight
 * (hold asked for, request not yet marked); FAILED means it never became an offer
 * and whatever it held is released.
 */
export enum PlacementStatus {
  PENDING_OFFER = 'PENDING_OFFER',
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
}

/**
 * Why a placement was declined or cancelled. A code, not free text: the note is
 * kept in the regional database and shown to both municipalities, and a
 * sentence typed there could name the person.
 */
export enum PlacementReason {
  UNIT_NOT_AVAILABLE = 'UNIT_NOT_AVAILABLE',
  UNIT_NOT_SUITABLE = 'UNIT_NOT_SUITABLE',
  SAFETY = 'SAFETY',
  PARTICIPANT_DECLINED = 'PARTICIPANT_DECLINED',
  NO_LONGER_NEEDED = 'NO_LONGER_NEEDED',
  OTHER_SOLUTION_FOUND = 'OTHER_SOLUTION_FOUND',
  OTHER = 'OTHER',
}

registerEnumType(PlacementStatus, { name: 'PlacementStatus' });
registerEnumType(PlacementReason, { name: 'PlacementReason', description: 'Why a placement was declined or cancelled (recorded in its history)' });
