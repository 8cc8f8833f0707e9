import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceProcess {
  name: string;
  pid: number;
  url: string;
  logFile: string;
  child: ChildProcess;
}

/**
 * Starts one service as its own Node process (so it can be stopped alone) and
 * resolves once it reports ready. Its log lines go to `logDir/<name>.log`.
 * Connected over IPC: if the runner dies, the service sees the disconnect and exits.
 */
export function startServiceProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  url: string,
  logDir: string,
  onExit: (name: string, code: number | null) => void,
): Promise<ServiceProcess> {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.pipe(log);
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready' && !ready) {
        ready = true;
        resolve({ name, pid: child.pid!, url, logFile, child });
      }
    });
    child.on('exit', (code) => {
      log.end();
      if (!ready) reject(new Error(`${name} did not start (exit code ${code}):\n${stderrTail.trim()}`));
      else onExit(name, code);
    });
  });
}

/** Stops services (SIGTERM, then SIGKILL after a grace period) and waits for every one to exit. */
export async function stopServiceProcesses(processes: readonly ServiceProcess[], graceMs = 5_000): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
