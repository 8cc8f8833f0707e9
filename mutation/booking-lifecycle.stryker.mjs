import { moduleOptions } from './stryker.base.mjs';

/** The booking lifecycle, by its integration tests on real PostgreSQL (run.mjs provides one). */
export default moduleOptions({
  name: 'booking-lifecycle',
  mutate: ['subgraphs/municipality/src/bookings/booking-lifecycle.service.ts'],
  tests: ['subgraphs/municipality/src/bookings/booking-lifecycle.int.test.ts', 'subgraphs/municipality/src/bookings/over-booking.int.test.ts'],
  timeoutMS: 30_000,
});
