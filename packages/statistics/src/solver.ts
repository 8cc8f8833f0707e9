/**
 * The HiGHS linear and integer programming solver (WebAssembly). The
 * adversarial tests use it to attack the published statistics as an attacker
 * would (tests/src/support/statistics-attacker.ts). Loading compiles and
 * instantiates the Wasm module, which costs far more than a small solve, so it
 * happens once per process.
 */
import loadHighs from 'highs';

export type Highs = Awaited<ReturnType<typeof loadHighs>>;

let highsLoading: Promise<Highs> | undefined;

/** HiGHS, loaded once per process; a failed load is retried on next use. */
export function solver(): Promise<Highs> {
  if (!highsLoading) {
    const attempt = loadHighs();
    attempt.catch(() => {
      if (highsLoading === attempt) highsLoading = undefined;
    });
    highsLoading = attempt;
  }
  return highsLoading;
}
