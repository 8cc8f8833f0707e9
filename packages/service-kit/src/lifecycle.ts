import { ConfigError } from './config';

type Stop = () => Promise<void>;

/**
 * The one way a service process runs: start, then stop cleanly on SIGINT/SIGTERM
 * or when the parent that forked it goes away (so the local runner never leaves
 * orphans). A start failure prints its reason and exits 1.
 */
export function runUntilStopped(start: () => Promise<Stop>): void {
  let stop: Stop | undefined;
  let stopping = false;
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(exitCode), 5_000);
    force.unref();
    try {
      await stop?.();
    } finally {
      process.exit(exitCode);
    }
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  if (process.send) process.once('disconnect', () => void shutdown(0));

  start().then(
    (stopFn) => {
      stop = stopFn;
      process.send?.({ type: 'ready' });
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : `start failed: ${(error as Error)?.stack ?? error}`}\n`);
      process.exit(1);
    },
  );
}
