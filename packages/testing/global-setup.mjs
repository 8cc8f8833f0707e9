// Runs once in jest's main process, before any test file. Gives every test one
// real PostgreSQL server: DATABASE_URL when set, otherwise an embedded one.
// Every project of a multi-project run calls this; only the first starts a server.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export default async function globalSetup() {
  if (process.env.TEST_ADMIN_DATABASE_URL) return;
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedPostgres } = require('@sodertorn/postgres');
  const server = await startEmbeddedPostgres();
  globalThis.__SODERTORN_TEST_POSTGRES__ = server;
  process.env.TEST_ADMIN_DATABASE_URL = server.adminUrl;
}
