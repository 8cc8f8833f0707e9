import { moduleOptions } from './stryker.base.mjs';

/**
 * The placement saga's compensation (what it undoes or leaves pending when a shard refuses or cannot
 * be reached: the offer's completion, a step's calls, release and reopen, the offer's failure), by a
 * focused test against two real shards behind fault-injecting proxies and the real regional subgraph
 * (about 20 s a run). The rest of the file (offer and step bookkeeping) is left to the end-to-end tests.
 */
export default moduleOptions({
  name: 'placement-saga',
  mutate: [
    'subgraphs/regional/src/placements/placement-saga.ts:111-139',
    'subgraphs/regional/src/placements/placement-saga.ts:210-303',
    'subgraphs/regional/src/placements/placement-saga.ts:326-332',
  ],
  tests: ['tests/src/placement-saga-compensation.test.ts'],
  timeoutMS: 60_000,
});
