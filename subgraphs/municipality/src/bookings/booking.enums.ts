import { registerEnumType } from 'type-graphql';

export enum BookingStatus {
  /**
   * Places reserved for an offer that is not yet accepted. Occupies them until
   * `expiresAt` (the database function booking_occupies is the one definition).
   */
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  RELEASED = 'RELEASED',
  ENDED = 'ENDED',
}

registerEnumType(BookingStatus, { name: 'BookingStatus' });
