import { moduleOptions } from './stryker.base.mjs';

/**
 * Ready, not run by default (`npm run mutation -- disclosure-control`): the module is being
 * replaced (statistics against a real attacker); point `mutate` and `tests` at its successor.
 */
export default moduleOptions({
  name: 'disclosure-control',
  mutate: ['packages/statistics/src/disclosure-control.ts'],
  tests: ['packages/statistics/src/disclosure-control.test.ts'],
});
