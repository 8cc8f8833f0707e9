import { moduleOptions } from './stryker.base.mjs';

/**
 * The access policies and the enforcement every service shares, by the unit tests of the
 * enforcement and the field-by-field comparison of each policy with the README's role table.
 */
export default moduleOptions({
  name: 'authorization',
  mutate: ['packages/service-kit/src/authorization.ts', 'subgraphs/municipality/src/access-policy.ts', 'subgraphs/regional/src/access-policy.ts'],
  tests: ['packages/service-kit/src/authorization.test.ts', 'tests/src/access-policies.test.ts'],
});
