import { adminDatabaseUrl } from '@sodertorn/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './connection-url';
import { dropServiceDatabase, provisionServiceDatabase, type ServiceDatabase } from './provision';

/** Runs `work` on a fresh connection to `url`, always closing it. */
async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The error connecting to `url` fails with (fails the test if it connects). */
async function connectError(url: string): Promise<Error & { code?: string }> {
  try {
    await withClient(url, async () => undefined);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the connection to be refused');
}

const admin = (sql: string, params: unknown[] = []) => withClient(adminDatabaseUrl(), (c) => c.query(sql, params));

describe('provisionServiceDatabase', () => {
  const suffix = randomBytes(4).toString('hex');
  const a: ServiceDatabase = { name: `t_prov_a_${suffix}`, password: randomBytes(12).toString('hex') };
  // Characters that must survive both SQL quoting and the connection URL.
  const b: ServiceDatabase = { name: `t_prov_b_${suffix}`, password: `p@ss:w/rd'"\\%#?&${suffix}` };
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    urlA = await provisionServiceDatabase(adminDatabaseUrl(), a);
    urlB = await provisionServiceDatabase(adminDatabaseUrl(), b);
  });
  afterAll(async () => {
    await dropServiceDatabase(adminDatabaseUrl(), a.name);
    await dropServiceDatabase(adminDatabaseUrl(), b.name);
  });

  describe('a provisioned database', () => {
    it('lets its own role connect and create, write and read a table', async () => {
      const rows = await withClient(urlA, async (client) => {
        const who = await client.query('select current_user as role, current_database() as db');
        expect(who.rows[0]).toEqual({ role: a.name, db: a.name });
        await client.query('create table note (id serial primary key, body text not null)');
        await client.query(`insert into note (body) values ('hello')`);
        return (await client.query('select body from note')).rows;
      });
      expect(rows).toEqual([{ body: 'hello' }]);
    });

    it('accepts a password with quotes, backslashes and URL characters', async () => {
      const role = await withClient(urlB, async (client) => (await client.query('select current_user as role')).rows[0].role);
      expect(role).toBe(b.name);
    });

    it('refuses role A a session on database B with permission denied (42501)', async () => {
      const error = await connectError(withDatabase(urlA, b.name));
      expect(error.code).toBe('42501');
      expect(error.message).toMatch(/permission denied for database/);
    });

    it('refuses role B a session on database A too', async () => {
      const error = await connectError(withDatabase(urlB, a.name));
      expect(error.code).toBe('42501');
    });

    it('gives the role no superuser, database or role creation rights', async () => {
      const { rows } = await admin('select rolsuper, rolcreatedb, rolcreaterole, rolcanlogin from pg_roles where rolname = $1', [a.name]);
      expect(rows).toEqual([{ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true }]);
      await expect(withClient(urlA, (client) => client.query(`create database t_prov_sneaky_${suffix}`))).rejects.toMatchObject({ code: '42501' });
    });

    it('refuses a wrong password', async () => {
      const wrong = new URL(urlA);
      wrong.password = 'not-the-password';
      expect((await connectError(wrong.toString())).code).toBe('28P01');
    });
  });

  describe('provisioning again', () => {
    it('is idempotent: the same call succeeds, gives the same URL and keeps the data', async () => {
      expect(await provisionServiceDatabase(adminDatabaseUrl(), a)).toBe(urlA);
      expect(await provisionServiceDatabase(adminDatabaseUrl(), a)).toBe(urlA);
      const rows = await withClient(urlA, async (client) => (await client.query('select body from note')).rows);
      expect(rows).toEqual([{ body: 'hello' }]);
      expect((await connectError(withDatabase(urlA, b.name))).code).toBe('42501');
    });

    it('sets a new password, after which only the new one works', async () => {
      const renewed = { ...a, password: randomBytes(12).toString('hex') };
      const newUrl = await provisionServiceDatabase(adminDatabaseUrl(), renewed);
      expect((await connectError(urlA)).code).toBe('28P01');
      await expect(withClient(newUrl, (client) => client.query('select 1'))).resolves.toBeDefined();
      await provisionServiceDatabase(adminDatabaseUrl(), a);
      await expect(withClient(urlA, (client) => client.query('select 1'))).resolves.toBeDefined();
    });
  });

  describe('names', () => {
    it.each(['Upper', 'with-dash', 'semi;colon', '1starts_with_digit', '', 'x'.repeat(64)])('refuses %j before touching the server', async (name) => {
      await expect(provisionServiceDatabase('postgres://nobody@127.0.0.1:1/none', { name, password: 'x' })).rejects.toThrow(/invalid database name/);
    });
  });
});

describe('dropServiceDatabase', () => {
  const db: ServiceDatabase = { name: `t_prov_drop_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
  const exists = async () => ({
    database: (await admin('select 1 from pg_database where datname = $1', [db.name])).rowCount,
    role: (await admin('select 1 from pg_roles where rolname = $1', [db.name])).rowCount,
  });

  it('drops the database and its role, even while the service is connected', async () => {
    const url = await provisionServiceDatabase(adminDatabaseUrl(), db);
    expect(await exists()).toEqual({ database: 1, role: 1 });
    const connected = new Client({ connectionString: url });
    connected.on('error', () => undefined); // the forced drop terminates this session
    await connected.connect();
    try {
      await dropServiceDatabase(adminDatabaseUrl(), db.name);
      expect(await exists()).toEqual({ database: 0, role: 0 });
    } finally {
      await connected.end().catch(() => undefined);
    }
  });

  it('does nothing for a database that no longer exists', async () => {
    await expect(dropServiceDatabase(adminDatabaseUrl(), db.name)).resolves.toBeUndefined();
    expect(await exists()).toEqual({ database: 0, role: 0 });
  });
});
