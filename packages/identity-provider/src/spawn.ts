import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { ProviderSpec } from './spec';

export type ProviderCommand =
  { id: number; op: 'rotateKeys'; name: string; clientId?: undefined } | { id: number; op: 'revokeClient'; name: string; clientId: string };
export type ProviderMessage =
  | { type: 'ready'; issuers: Record<string, string> }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string };

export interface ProviderProcess {
  pid: number;
  /** Issuer URL of each provider, by name (`region`, `0126`, …). */
  issuers: Record<string, string>;
  /** Publishes a new signing key and signs with it from now on; the old keys stay published. */
  rotateKeys(name: string): Promise<void>;
  /** The client gets no more tokens from that provider. */
  revokeClient(name: string, clientId: string): Promise<void>;
  stop(): Promise<void>;
}

/** The built entry point: the providers run as their own Node process (see main.ts). */
const MAIN = resolve(__dirname, '../dist/main.js');

/**
 * Starts the development identity providers in a child process and waits until
 * each listens. Needs the package built (`npm run build`, which `npm start` and
 * `npm test` do first). Output goes to `logFile`, or is dropped.
 */
export async function spawnProviders(specs: readonly ProviderSpec[], options: { logFile?: string } = {}): Promise<ProviderProcess> {
  const child: ChildProcess = fork(MAIN, [], {
    env: { ...process.env, IDENTITY_PROVIDER_SPECS: JSON.stringify(specs), NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const issuers = await new Promise<Record<string, string>>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`the identity providers stopped at start (exit code ${code}); is ${MAIN} built?`)));
    child.on('message', (message: ProviderMessage) => {
      if (message.type === 'ready') ready(message.issuers);
      if (message.type === 'failed') fail(new Error(`the identity providers failed to start: ${message.message}`));
    });
  });
  child.removeAllListeners('exit');

  let nextId = 1;
  const command = (op: Omit<ProviderCommand, 'id'>) =>
    new Promise<void>((done, fail) => {
      const id = nextId++;
      const answer = (message: ProviderMessage) => {
        if (!('id' in message) || message.id !== id) return;
        child.off('message', answer);
        if (message.type === 'error') fail(new Error(message.message));
        else done();
      };
      child.on('message', answer);
      child.send({ ...op, id });
    });
  return {
    pid: child.pid!,
    issuers,
    rotateKeys: (name) => command({ op: 'rotateKeys', name }),
    revokeClient: (name, clientId) => command({ op: 'revokeClient', name, clientId }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
