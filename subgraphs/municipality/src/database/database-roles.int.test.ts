import { createTestDatabase, createTestRuntimeRole, type TestDatabase } from '@sodertorn/testing';
import { Client } from 'pg';
import { migrations } from './migrations';
import { connectMunicipalityDatabase, migrateMunicipalityDatabase } from './orm';

/** The SQLSTATE PostgreSQL answers a statement with, or 'ok'. */
async function outcome(client: Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

const INSERT_AUDIT = `insert into audit_log (seq, occurred_at, actor_sub, actor_roles, action, subject_type, subject_id, request_id, prev_hash, hash)
  values ($1, now(), 'roles-test', '{AUDITOR}', 'READ_AUDIT_LOG', 'AuditLog', '0126', 'r1', repeat('0', 64), repeat('a', 64))`;

describe('Database roles: migrations as the owner, the service as a runtime role with only the rights it needs', () => {
  let database: TestDatabase;
  let runtime: Awaited<ReturnType<typeof createTestRuntimeRole>>;
  let asRuntime: Client;

  beforeAll(async () => {
    database = await createTestDatabase('roles');
    runtime = await createTestRuntimeRole(database);
    expect(await migrateMunicipalityDatabase(database.url, runtime.name)).toEqual(migrations.map((m) => m.name));
    asRuntime = new Client({ connectionString: runtime.url });
    await asRuntime.connect();
  });
  afterAll(async () => {
    await asRuntime.end();
    await runtime.drop();
    await database.drop();
  });

  it('runs migrations once: a second migrate finds none and only renews the grants', async () => {
    expect(await migrateMunicipalityDatabase(database.url, runtime.name)).toEqual([]);
  });

  it('lets the runtime role add to and read the audit log', async () => {
    expect(await outcome(asRuntime, INSERT_AUDIT.replace('$1', '1'))).toBe('ok');
    expect((await asRuntime.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(1);
  });

  it.each([
    ['UPDATE a row', `update audit_log set actor_sub = 'someone else'`],
    ['DELETE rows', 'delete from audit_log'],
    ['TRUNCATE', 'truncate audit_log'],
    ['disable its trigger', 'alter table audit_log disable trigger audit_log_append_only'],
    ['disable every trigger', 'alter table audit_log disable trigger all'],
    ['drop its trigger', 'drop trigger audit_log_append_only on audit_log'],
    ['replace the trigger function', `create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$ begin return new; end $$`],
    ['drop the table', 'drop table audit_log'],
    ['take ownership', 'alter table audit_log owner to current_user'],
  ])('refuses the runtime role on the audit log: %s (insufficient privilege)', async (_what, sql) => {
    expect(await outcome(asRuntime, sql)).toBe('42501');
  });

  it('keeps the phase history as the runtime role changes phases: recorded by the trigger, not rewritable, gone with its participant', async () => {
    const id = '00000000-0000-4000-8000-00000000fa5e';
    const participant = `insert into participant (id, first_name, last_name, personal_identity_number, protected_identity, birth_date, gender, household_adults,
      household_children, phase, referral_source, risk_level, excluded_municipalities, intake_date, responsible_caseworker, created_at, updated_at)
      values ('${id}', 'Roll', 'Testsson', '199001019806', false, '1990-01-01', 'MALE', 1, 0, 'INTAKE', 'POLICE', 'LOW', '{}', '2026-11-01', 'c', now(), now())`;
    expect(await outcome(asRuntime, participant)).toBe('ok');
    expect(await outcome(asRuntime, `update participant set phase = 'ACTIVE' where id = '${id}'`)).toBe('ok');
    const phases = async () =>
      (await asRuntime.query(`select phase from participant_phase_change where participant_id = $1 order by id`, [id])).rows.map((r) => r.phase);
    expect(await phases()).toEqual(['INTAKE', 'ACTIVE']);
    expect(await outcome(asRuntime, `update participant_phase_change set phase = 'COMPLETED'`)).toBe('42501');
    expect(await outcome(asRuntime, `delete from participant_phase_change`)).toBe('42501');
    expect(await outcome(asRuntime, `delete from participant where id = '${id}'`)).toBe('ok');
    expect(await phases()).toEqual([]);
  });

  it.each([
    ['create a table', 'create table shadow (id int)'],
    ['alter a table', 'alter table participant add column extra text'],
    ['record a migration as run', `insert into mikro_orm_migrations (name, executed_at) values ('Fake', now())`],
  ])('refuses the runtime role to %s: the schema is the owner’s', async (_what, sql) => {
    expect(await outcome(asRuntime, sql)).toBe('42501');
  });

  it('lets the runtime role connect as the service does, and use every table the service writes', async () => {
    const orm = await connectMunicipalityDatabase(runtime.url);
    try {
      const connection = orm.em.getConnection();
      for (const table of ['participant', 'housing_unit', 'booking', 'placement_request', 'idempotent_operation']) {
        await expect(connection.execute(`select count(*) from ${table}`)).resolves.toBeDefined();
      }
      await expect(connection.execute(`delete from idempotent_operation where false`)).resolves.toBeDefined();
    } finally {
      await orm.close();
    }
  });

  it('refuses to start the service on a database its migrate command has not brought up to date, saying so', async () => {
    const fresh = await createTestDatabase('rolesfresh');
    try {
      await expect(connectMunicipalityDatabase(fresh.url)).rejects.toThrow(
        /DATABASE_URL: the database lacks \d+ migration\(s\) .*run this service's migrate command/,
      );
    } finally {
      await fresh.drop();
    }
  });
});
