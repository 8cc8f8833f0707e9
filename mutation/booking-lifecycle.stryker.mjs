import { moduleOptions } from './stryker.base.mjs';

/** The booking lifecycle, by its integration tests on real PostgreSQL (run.mjs provides one). */
export default moduleOptions({
  name: 'booking-lifecycle',
  mutate: ['subgraphs/municipality/src/bookings/booking-lifecycle.service.ts'],
  tests: ['subgraphs/municipality/src/bookings/booking-lifecycle.int.test.ts', 'subgraphs/municipality/src/bookings/over-booking.int.test.ts'],
  // Each run starts a shard on a fresh database first (one per test file; Stryker's time for the tests
  // leaves that out), and the concurrency tests make 50 and 60 holds at once: with 60 s, 12 of the first
  // 57 mutants ran out of time on the loaded machine. No statement of this file loops, so a mutant can
  // hang only on a lock, and that is still detected, later.
  timeoutMS: 180_000,
  timeoutFactor: 2,
});
