/**
 * The HiGHS linear-programming solver (WebAssembly), shared by every module of
 * this package that verifies a suppression pattern. Loading compiles and
 * instantiates the Wasm module, which costs far more than the small solves it
 * is used for, so it happens once per process.
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
