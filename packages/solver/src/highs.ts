import loadHighs, { type Highs, type Model } from 'highs';

/**
 * Thrown when HiGHS itself fails: its WebAssembly module aborted (it does when
 * its 2 GiB heap runs out, e.g. a MIP left without a time limit) or reported
 * an error. The loaded module is then discarded, so the next batch starts on
 * a fresh one.
 */
export class SolverError extends Error {
  override readonly name = 'SolverError';
}

/**
 * After a solve that grew the WebAssembly heap beyond this, the module is
 * dropped (its memory returns to the process once collected) and reloaded on
 * next use: the heap never shrinks on its own.
 */
const MAX_RETAINED_HEAP_BYTES = 512 * 1024 * 1024;

let loading: Promise<Highs> | undefined;
let loaded: Highs | undefined;

/** The HiGHS module, loaded once per process and reused. */
export function loadSolver(): Promise<Highs> {
  if (!loading) {
    const attempt = loadHighs().then((highs) => (loaded = highs));
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
    loading = attempt;
  }
  return loading;
}

/** Stops handing out `highs`: the next loadSolver() loads a fresh module. */
function discard(highs: Highs): void {
  if (loaded !== highs) return;
  loaded = undefined;
  loading = undefined;
}

/**
 * Runs `work` on a fresh persistent model and always disposes it: WebAssembly
 * memory is not garbage-collected. Any failure inside HiGHS becomes a
 * SolverError and retires the module.
 */
export function withModel<T>(highs: Highs, work: (model: Model) => T): T {
  let model: Model | undefined;
  try {
    model = highs.createModel();
    model.options.set({ output_flag: false });
    model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    return work(model);
  } catch (error) {
    if (error instanceof SolverError) throw error;
    discard(highs);
    throw new SolverError(`HiGHS failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    try {
      model?.dispose();
    } catch {
      discard(highs);
    }
    if (highs.memoryBytes > MAX_RETAINED_HEAP_BYTES) discard(highs);
  }
}

/**
 * Runs the model within what is left of the budget. HiGHS counts time_limit
 * cumulatively per model, so the clock is reset first. Returns the model status.
 */
export function runWithin(highs: Highs, model: Model, seconds: number): 'optimal' | 'time-limit' {
  model.zeroAllClocks();
  model.options.set({ time_limit: Math.max(0.01, seconds) });
  const { modelStatus } = model.run();
  if (modelStatus === highs.constants.modelStatus.optimal) return 'optimal';
  if (modelStatus === highs.constants.modelStatus.timeLimit) return 'time-limit';
  throw new SolverError(`HiGHS stopped with model status ${modelStatus}`);
}
