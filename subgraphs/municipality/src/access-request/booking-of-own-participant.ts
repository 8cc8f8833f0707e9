import type { AuthorizationContext } from '@sodertorn/service-kit';
import type { BookingRecord } from '../bookings/booking.record';

/**
 * The home municipality's right to the reads that concern a booking: the booking serves a
 * regional placement of one of the caller's municipality's participants (its sending
 * municipality). A grant condition (see access-policy.ts), evaluated per booking.
 */
export function isBookingOfCallersParticipant(source: unknown, context: AuthorizationContext): boolean {
  const booking = source as Partial<BookingRecord>;
  const municipality = context.identity?.municipality;
  return !!municipality && !!booking.placementId && booking.sendingMunicipality === municipality;
}
