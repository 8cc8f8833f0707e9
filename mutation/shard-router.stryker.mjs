import { moduleOptions } from './stryker.base.mjs';

/** The shard router's pure functions, by their table-driven unit tests. */
export default moduleOptions({
  name: 'shard-router',
  mutate: ['gateway/src/routing/*.ts', '!gateway/src/routing/*.test.ts'],
  tests: ['gateway/src/routing/*.test.ts'],
});
