import { ConfigError } from './config';

type Stop = () => Promise<void>;

/** What a started service gives back: how to stop it, and how long stopping may take at most. */
export interface Started {
  stop: Stop;
  /** After this many milliseconds the process exits even if `stop` has not finished (default 5 000). */
  stopWithinMs?: number;
}

/**
 * The one way a service process runs: start, then stop cleanly on SIGINT/SIGTERM
 * or when the parent that forked it goes away (so the local runner never leaves
 * orphans). A start failure prints its reason and exits 1.
 */
export function runUntilStopped(start: () => Promise<Stop | Started>): void {
  let started: Started | undefined;
  let stopping = false;
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(exitCode), started?.stopWithinMs ?? 5_000);
    force.unref();
    try {
      await started?.stop();
    } finally {
      process.exit(exitCode);
    }
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  if (process.send) process.once('disconnect', () => void shutdown(0));

  start().then(
    (result) => {
      started = typeof result === 'function' ? { stop: result } : result;
      process.send?.({ type: 'ready' });
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : `start failed: ${(error as Error)?.stack ?? error}`}\n`);
      process.exit(1);
    },
  );
}

/** The bound for `Started.stopWithinMs` of a service that drains: the drain, then a margin for the rest of its stop. */
export function drainBound(drain: { delayMs: number; timeoutMs: number }): number {
  return drain.delayMs + drain.timeoutMs + 5_000;
}
