import { moduleOptions } from './stryker.base.mjs';

/** The statistics' disclosure protection (the cell key method and the release of tables), by their unit tests. */
export default moduleOptions({
  name: 'disclosure-protection',
  mutate: ['packages/statistics/src/cell-key.ts', 'packages/statistics/src/release.ts'],
  tests: ['packages/statistics/src/cell-key.test.ts', 'packages/statistics/src/release.test.ts'],
  timeoutMS: 20_000,
});
