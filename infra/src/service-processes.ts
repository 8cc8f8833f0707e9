import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** One service the runner keeps running: what to start, with which environment, and where it answers. */
export interface ServiceSpec {
  name: string;
  script: string;
  env: Record<string, string>;
  url: string;
  logDir: string;
}

/** A running service as the banner and tests see it: `pid` and `child` are those of its current process. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly logFile: string;
  readonly pid: number;
  readonly child: ChildProcess;
}

export interface RestartPolicy {
  /** Wait before restarting a service that stopped; doubled after each restart that did not last. */
  initialDelayMs: number;
  /** The longest wait between restarts of a service that keeps failing. */
  maxDelayMs: number;
  /** A process that ran this long was healthy: its next restart waits `initialDelayMs` again. */
  resetAfterMs: number;
}

/** Like Kubernetes' crash-loop back-off (10 s doubling to 5 min), scaled down for a laptop. */
export const RESTART_POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/**
 * One service, supervised as a production supervisor (Kubernetes with
 * `restartPolicy: Always`) would: when its process stops without the runner
 * asking — a crash, an out-of-memory kill, `kill <pid>` — it is started again
 * with the same environment, so on the same port, after a back-off; each step
 * is said in one line. Once `stop()` is called nothing is restarted.
 */
export class SupervisedService implements ServiceProcess {
  readonly logFile: string;
  private current: ChildProcess;
  private startedAt = Date.now();
  private delayMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  private constructor(
    private readonly spec: ServiceSpec,
    first: ChildProcess,
    private readonly say: (line: string) => void,
    private readonly policy: RestartPolicy,
  ) {
    this.logFile = join(spec.logDir, `${spec.name}.log`);
    this.current = first;
    this.delayMs = policy.initialDelayMs;
    this.watch(first);
  }

  /** Starts the service and resolves once it reports ready; rejects, with its last error output, if it exits first. */
  static async start(spec: ServiceSpec, say: (line: string) => void, policy: RestartPolicy = RESTART_POLICY): Promise<SupervisedService> {
    mkdirSync(spec.logDir, { recursive: true });
    const child = spawn(spec, 'w');
    await untilReady(spec.name, child);
    return new SupervisedService(spec, child, say, policy);
  }

  get name(): string {
    return this.spec.name;
  }

  get url(): string {
    return this.spec.url;
  }

  get pid(): number {
    return this.current.pid!;
  }

  get child(): ChildProcess {
    return this.current;
  }

  /** Stops the service (SIGTERM, then SIGKILL after `graceMs`), cancelling any restart, and waits for its process to exit. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await stopChild(this.current, graceMs);
  }

  private watch(child: ChildProcess): void {
    child.once('exit', (code, signal) => {
      if (this.stopping || child !== this.current) return;
      const ranMs = Date.now() - this.startedAt;
      if (ranMs >= this.policy.resetAfterMs) this.delayMs = this.policy.initialDelayMs;
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      this.restartLater(`${this.name} stopped unexpectedly (${why}) after ${Math.round(ranMs / 1000)} s`);
    });
  }

  private restartLater(reason: string): void {
    const delayMs = this.delayMs;
    this.delayMs = Math.min(delayMs * 2, this.policy.maxDelayMs);
    this.say(`! ${reason}; restarting it in ${delayMs / 1000} s, at ${clock(Date.now() + delayMs)}. Its log: ${this.logFile}`);
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    // The current process from now on, so that stop() ends it even while it is still starting.
    const child = spawn(this.spec, 'a');
    this.current = child;
    try {
      await untilReady(this.name, child);
    } catch (error) {
      if (!this.stopping) this.restartLater((error as Error).message.split('\n')[0]!.replace(/:$/, ''));
      return;
    }
    if (this.stopping) return;
    this.startedAt = Date.now();
    this.watch(child);
    this.say(`${this.name} is running again: pid ${child.pid}, ${this.url}`);
  }
}

/**
 * Forks the service as its own Node process, its output appended to (or, on
 * the first start, replacing) `logDir/<name>.log`. Connected over IPC: if the
 * runner dies, the service sees the disconnect and exits.
 */
function spawn(spec: ServiceSpec, flags: 'w' | 'a'): ChildProcess {
  const log = createWriteStream(join(spec.logDir, `${spec.name}.log`), { flags });
  const child = fork(spec.script, [], { env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => log.end());
  return child;
}

/** Resolves when the process reports ready; rejects with its last error output if it exits first. */
function untilReady(name: string, child: ChildProcess): Promise<void> {
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${name} did not start (${signal ? `killed by ${signal}` : `exit code ${code}`}):\n${stderrTail.trim()}`));
    child.once('exit', onExit);
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      child.off('exit', onExit);
      resolve();
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops services and waits for every one to exit; none is restarted. */
export async function stopServices(services: readonly SupervisedService[], graceMs = 5_000): Promise<void> {
  await Promise.all(services.map((service) => service.stop(graceMs)));
}
