import { moduleOptions } from './stryker.base.mjs';

/** The shard router's pure functions and the shard client's breaker and retry policy, by their table-driven unit tests. */
export default moduleOptions({
  name: 'shard-router',
  mutate: [
    'gateway/src/routing/*.ts',
    '!gateway/src/routing/*.test.ts',
    'packages/shard-client/src/circuit-breaker.ts',
    'packages/shard-client/src/retry-policy.ts',
  ],
  tests: ['gateway/src/routing/*.test.ts', 'packages/shard-client/src/circuit-breaker.test.ts', 'packages/shard-client/src/retry-policy.test.ts'],
});
