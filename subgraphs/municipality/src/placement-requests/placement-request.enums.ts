import { registerEnumType } from 'type-graphql';

export enum PlacementRequestStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  MATCHED = 'MATCHED',
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}

/** Statuses of a request still in progress: a participant has at most one such request. */
export const LIVE_REQUEST_STATUSES: readonly PlacementRequestStatus[] = [
  PlacementRequestStatus.OPEN,
  PlacementRequestStatus.MATCHED,
  PlacementRequestStatus.OFFERED,
  PlacementRequestStatus.ACCEPTED,
  PlacementRequestStatus.ACTIVE,
];

export enum Urgency {
  /** Must move tonight. */
  IMMEDIATE = 'IMMEDIATE',
  HIGH = 'HIGH',
  NORMAL = 'NORMAL',
}

/** Support the participant needs near the new home: part of the coarse needs profile. */
export enum SupportNeed {
  MENTOR = 'MENTOR',
  COUNSELLING = 'COUNSELLING',
  ADDICTION_CARE = 'ADDICTION_CARE',
  WORK_OR_STUDIES = 'WORK_OR_STUDIES',
  CHILDCARE = 'CHILDCARE',
}

registerEnumType(PlacementRequestStatus, { name: 'PlacementRequestStatus' });
registerEnumType(Urgency, { name: 'Urgency' });
registerEnumType(SupportNeed, { name: 'SupportNeed', description: 'Support the participant needs where they are placed' });
