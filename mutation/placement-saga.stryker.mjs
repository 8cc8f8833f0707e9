import { moduleOptions } from './stryker.base.mjs';

/**
 * Ready, not run by default (`npm run mutation -- placement-saga`): the saga is being rewritten.
 * Its compensation is tested end to end today (a whole region per test file, minutes per
 * mutant); a focused integration test of the saga against real shards would be the faster oracle.
 */
export default moduleOptions({
  name: 'placement-saga',
  mutate: ['subgraphs/regional/src/placements/placement-saga.ts'],
  tests: ['tests/src/placements-faults.test.ts', 'tests/src/placements-lifecycle.test.ts'],
  timeoutMS: 120_000,
});
