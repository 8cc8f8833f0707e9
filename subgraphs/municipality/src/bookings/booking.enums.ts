import { registerEnumType } from 'type-graphql';

export enum BookingStatus {
  /** Places reserved for an offer that is not yet accepted; expires. */
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  RELEASED = 'RELEASED',
  ENDED = 'ENDED',
}

/** Statuses whose places are taken: the others free their places again. */
export const OCCUPYING_STATUSES: readonly BookingStatus[] = [BookingStatus.HELD, BookingStatus.CONFIRMED];

registerEnumType(BookingStatus, { name: 'BookingStatus' });
