import { createRequire } from 'node:module';
import { computeResponse } from './compiled-result-shaping';

/**
 * Puts the compiled result shaping in the place of Apollo Gateway's own
 * `computeResponse`. Apollo offers no option for it: its query plan executor
 * calls the function through its `resultShaping` module's exports on every
 * request, so replacing that export is the one way in. The differential test
 * (`result-shaping.test.ts`) runs against whatever version of Apollo is
 * installed, so an upgrade that changes the shaping's answers fails there.
 *
 * Returns whether it is installed: false (and Apollo's own shaping kept) when
 * the module or its export is not where 2.14 has it.
 */
export function installCompiledResultShaping(): boolean {
  const module = apolloResultShaping();
  if (typeof module?.computeResponse !== 'function') return false;
  module.computeResponse = computeResponse;
  return true;
}

/** Apollo's own `computeResponse`, as loaded before any install (the differential test's oracle). */
export const apolloComputeResponse: unknown = apolloResultShaping()?.computeResponse;

function apolloResultShaping(): { computeResponse?: unknown } | undefined {
  try {
    const require = createRequire(__filename);
    return require(require.resolve('@apollo/gateway/dist/resultShaping', { paths: [require.resolve('@apollo/gateway')] })) as { computeResponse?: unknown };
  } catch {
    return undefined;
  }
}
