import { moduleOptions } from './stryker.base.mjs';

/** Free places (one SQL statement), by its integration test on real PostgreSQL against a slow, obvious count (run.mjs provides one). */
export default moduleOptions({
  name: 'free-places',
  mutate: ['subgraphs/municipality/src/housing/free-places.ts'],
  tests: ['subgraphs/municipality/src/housing/free-places.int.test.ts'],
  timeoutMS: 30_000,
});
