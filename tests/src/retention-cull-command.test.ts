import { openMunicipalityDatabase, placeLegalHold } from '@sodertorn/municipality';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { queryRows } from './support/sql';

const SERVICE_ENTRY = resolve(__dirname, '../../infra/dist/service.js');

/**
 * The image's `cull` command as a Kubernetes Job runs it (`node infra/dist/service.js cull …`),
 * against a real database as its owner role: a dry run prints counts and opaque ids and changes
 * nothing; a missing setting stops it with exit 2 naming the setting; a hold is placed and lifted.
 */
describe('The `cull` command of the image', () => {
  let database: TestDatabase;
  const closed = randomUUID();
  const held = randomUUID();
  const run = (args: string[], extra: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [SERVICE_ENTRY, 'cull', ...args], {
      env: { PATH: process.env.PATH, MUNICIPALITY_CODE: '0126', CULL_DATABASE_URL: database.url, LOG_LEVEL: 'warn', ...extra },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    database = await createTestDatabase('cullcmd');
    const orm = await openMunicipalityDatabase(database.url);
    for (const [id, pnr] of [
      [closed, '197001011238'],
      [held, '197001021237'],
    ] as const) {
      await orm.em.execute(
        `insert into participant (id, first_name, last_name, personal_identity_number, protected_identity, birth_date, gender, household_adults, household_children, phase, referral_source, risk_level, excluded_municipalities, intake_date, exit_date, exit_outcome, responsible_caseworker, created_at, updated_at)
         values (?, 'Kommandomarkör', 'Testsson', ?, false, '1970-01-01', 'MALE', 1, 0, 'DISCONTINUED', 'SELF', 'LOW', '{}', '2010-01-01', '2012-06-01', 'DISCONTINUED', 'cw', now(), now())`,
        [id, pnr],
      );
    }
    await placeLegalHold(orm.em, { municipalityCode: '0126', participantId: held, reference: 'KS 2026/5', by: 'test' });
    await orm.close();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('dry run: prints what is due by opaque id, the held case apart, and changes nothing', async () => {
    const before = await queryRows(database.url, `select t::text from participant t order by id`);
    const { code, stdout, stderr } = run(['--dry-run'], { CASE_RETENTION_YEARS: '5', AUDIT_RETENTION_YEARS: '10' });
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain('cases due: 1\n');
    expect(stdout).toContain(`  participant ${closed}  placement requests: -\n`);
    expect(stdout).toContain(`cases kept by a legal hold: 1 (${held})`);
    expect(stdout).not.toMatch(/Kommandomarkör|197001011238/);
    expect(await queryRows(database.url, `select t::text from participant t order by id`)).toEqual(before);
  });

  it('refuses to cull without the retention rules, naming them (exit 2)', () => {
    const { code, stderr } = run([]);
    expect(code).toBe(2);
    expect(stderr).toContain('CASE_RETENTION_YEARS is required to cull');
    expect(stderr).toContain('AUDIT_RETENTION_YEARS is required to cull');
  });

  it('refuses a malformed retention setting, naming it (exit 2)', () => {
    const { code, stderr } = run(['--dry-run'], { CASE_RETENTION_YEARS: 'five', AUDIT_RETENTION_YEARS: '10' });
    expect(code).toBe(2);
    expect(stderr).toContain('CASE_RETENTION_YEARS: must be a whole number of years, 1 to 100');
  });

  it('refuses an option it does not know, naming it (exit 2), and culls nothing', async () => {
    const before = await queryRows(database.url, `select t::text from participant t order by id`);
    const { code, stderr } = run(['--dryrun'], { CASE_RETENTION_YEARS: '5', AUDIT_RETENTION_YEARS: '10' });
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--dryrun'");
    expect(await queryRows(database.url, `select t::text from participant t order by id`)).toEqual(before);
  });

  it('lifts a hold and says so; the next dry run lists that case as due', async () => {
    expect(run(['lift', held])).toMatchObject({ code: 0, stdout: `legal hold on ${held}: lifted\n` });
    expect(run(['lift', held])).toMatchObject({ code: 0, stdout: `legal hold on ${held}: not held\n` });
    expect(run(['--dry-run'], { CASE_RETENTION_YEARS: '5', AUDIT_RETENTION_YEARS: '10' }).stdout).toContain('cases due: 2\n');
    expect(run(['hold', held, '--reference', 'KS 2026/6'])).toMatchObject({ code: 0, stdout: `legal hold on ${held}: placed\n` });
  });
});
