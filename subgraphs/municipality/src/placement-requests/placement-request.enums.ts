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

export enum Urgency {
  /** Must move tonight. */
  IMMEDIATE = 'IMMEDIATE',
  HIGH = 'HIGH',
  NORMAL = 'NORMAL',
}

registerEnumType(PlacementRequestStatus, { name: 'PlacementRequestStatus' });
registerEnumType(Urgency, { name: 'Urgency' });
