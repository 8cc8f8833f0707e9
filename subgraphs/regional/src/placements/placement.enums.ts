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

/** Statuses in which the receiving unit's places are held or booked for the placement. */
export const HOLDING_STATUSES: readonly PlacementStatus[] = [PlacementStatus.PENDING_OFFER, PlacementStatus.OFFERED, PlacementStatus.ACCEPTED, PlacementStatus.ACTIVE];

registerEnumType(PlacementStatus, { name: 'PlacementStatus' });
