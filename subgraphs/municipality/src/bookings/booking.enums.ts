import { registerEnumType } from 'type-graphql';

export enum BookingStatus {
  /**
   * Places reserved for an offer that is not yet accepted. Occupies them until
   * `expiresAt` (the database function booking_occupies is the one definition).
   */
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  /** Places free again; occupies nothing. */
  RELEASED = 'RELEASED',
  /** The stay is over or ends on `endsOn`: occupies its places until that day, like CONFIRMED. */
  ENDED = 'ENDED',
}

registerEnumType(BookingStatus, { name: 'BookingStatus' });
