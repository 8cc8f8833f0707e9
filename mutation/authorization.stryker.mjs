import { moduleOptions } from './stryker.base.mjs';

/**
 * The access policies and the enforcement every service shares, by the unit tests of the
 * enforcement and the field-by-field comparison of each policy with the README's role table
 * (role-table.test.ts loads the policy modules alone, so a run of it takes seconds).
 */
export default moduleOptions({
  name: 'authorization',
  mutate: ['packages/service-kit/src/authorization.ts', 'subgraphs/municipality/src/access-policy.ts', 'subgraphs/regional/src/access-policy.ts'],
  tests: ['packages/service-kit/src/authorization.test.ts', 'tests/src/role-table.test.ts'],
  // Most of its mutants are static (the policies are module-level data): each runs both files whole.
  timeoutMS: 30_000,
});
