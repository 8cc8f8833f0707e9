import { moduleOptions } from './stryker.base.mjs';

/** Free places and the booking lifecycle, by their integration tests on real PostgreSQL (run.mjs provides one). */
export default moduleOptions({
  name: 'bookings',
  mutate: ['subgraphs/municipality/src/housing/free-places.ts', 'subgraphs/municipality/src/bookings/booking-lifecycle.service.ts'],
  tests: [
    'subgraphs/municipality/src/housing/free-places.int.test.ts',
    'subgraphs/municipality/src/bookings/booking-lifecycle.int.test.ts',
    'subgraphs/municipality/src/bookings/over-booking.int.test.ts',
  ],
  timeoutMS: 30_000,
});
