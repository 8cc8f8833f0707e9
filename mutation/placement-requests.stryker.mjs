import { moduleOptions } from './stryker.base.mjs';

/** The sending side's lifecycle (the request's steps), by its integration tests on real PostgreSQL (run.mjs provides one). */
export default moduleOptions({
  name: 'placement-requests',
  mutate: ['subgraphs/municipality/src/placement-requests/placement-request-lifecycle.service.ts'],
  tests: ['subgraphs/municipality/src/placement-requests/placement-request-lifecycle.int.test.ts'],
  // Room for the shard's start-up in `beforeAll`, which Stryker's time for the tests leaves out.
  timeoutMS: 120_000,
});
