import { moduleOptions } from './stryker.base.mjs';

/** The booking lifecycle, by its integration tests on real PostgreSQL (run.mjs provides one). */
export default moduleOptions({
  name: 'booking-lifecycle',
  mutate: ['subgraphs/municipality/src/bookings/booking-lifecycle.service.ts'],
  tests: ['subgraphs/municipality/src/bookings/booking-lifecycle.int.test.ts', 'subgraphs/municipality/src/bookings/over-booking.int.test.ts'],
  // Each run starts a shard on a fresh database first: on a loaded machine that alone can take half a minute.
  timeoutMS: 60_000,
});
