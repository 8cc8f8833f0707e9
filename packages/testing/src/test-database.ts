import { randomBytes } from 'node:crypto';
import { dropRuntimeRole, dropServiceDatabase, provisionRuntimeRole, provisionServiceDatabase } from '@sodertorn/postgres';

export interface TestDatabase {
  name: string;
  /** URL of the database's own login role, as a service would use it. */
  url: string;
  drop(): Promise<void>;
}

/** Superuser URL of the server this test run uses (set by the jest global setup). */
export function adminDatabaseUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run tests through jest with @sodertorn/testing/jest-preset');
  return url;
}

/** A fresh, empty database with its own login role, provisioned exactly as the runner does it. */
export async function createTestDatabase(purpose: string): Promise<TestDatabase> {
  const name = `t_${purpose.replace(/[^a-z0-9]/g, '')}_${randomBytes(5).toString('hex')}`;
  const url = await provisionServiceDatabase(adminDatabaseUrl(), { name, password: randomBytes(12).toString('hex') });
  return { name, url, drop: () => dropServiceDatabase(adminDatabaseUrl(), name) };
}

/** The role a service runs as on `database` (see provisionRuntimeRole), named `<database>_app`; drop it before the database. */
export async function createTestRuntimeRole(database: TestDatabase): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${database.name}_app`;
  const url = await provisionRuntimeRole(adminDatabaseUrl(), database.name, { name, password: randomBytes(12).toString('hex') });
  return { name, url, drop: () => dropRuntimeRole(adminDatabaseUrl(), database.name, name) };
}

/** Something that runs SQL (a `pg` Client of the database under test). */
export interface SqlClient {
  query(sql: string): Promise<{ rows: { n: number }[] }>;
}

/** Waits until another session of the client's database waits for a lock (the second of two racing transactions). */
export async function waitUntilBlocked(client: SqlClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the second transaction never waited for the lock');
}
