import { testVerifierOptions } from '@sodertorn/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const MUNICIPALITY_MAIN = resolve(__dirname, '../../../subgraphs/municipality/dist/main.js');
export const MUNICIPALITY_MIGRATE = resolve(__dirname, '../../../subgraphs/municipality/dist/migrate.js');

export interface RunningShard {
  process: ChildProcess;
  url: string;
  /** Every JSON log line the process wrote. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; atMs: number }>;
}

/**
 * One municipal deployment (0126) as an operator runs it: its own process, configured by its
 * environment only, as its runtime role, trusting the test issuer. Plain HTTP on loopback: these
 * tests are about the process and its database, tls-shard-trust.test.ts covers TLS.
 */
export async function startShardProcess(runtimeUrl: string, extraEnv: Record<string, string> = {}): Promise<RunningShard> {
  const [auth] = (await testVerifierOptions()).issuers; // one issuer that vouches for everyone
  const child = spawn(process.execPath, [MUNICIPALITY_MAIN], {
    env: {
      PATH: process.env.PATH,
      MUNICIPALITY_CODE: '0126',
      DATABASE_URL: runtimeUrl,
      CASE_REFERENCE_KEY: 'shard-process-test-case-reference-key-0123456789',
      AUTH_ISSUER: auth!.issuer,
      AUTH_AUDIENCE: auth!.audience,
      AUTH_JWKS_FILE: auth!.jwksFile!,
      PORT: '0',
      ALLOW_PLAIN_HTTP: 'true',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; atMs: number }>((done) => child.once('exit', (code) => done({ code, atMs: performance.now() })));
  const url = await new Promise<string>((done, fail) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'municipal subgraph listening') done(entry.url as string);
      }
    });
    void exited.then(({ code }) => fail(new Error(`the shard exited (${code}) before listening: ${stderr}`)));
  });
  return { process: child, url, logs, exited };
}
