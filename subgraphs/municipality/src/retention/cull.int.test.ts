import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, createTestRuntimeRole, type TestDatabase } from '@sodertorn/testing';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { appendAuditRecords } from '../audit/audit-log';
import { verifyAuditLogAt } from '../audit/verify-database';
import { migrateMunicipalityDatabase, openMunicipalityDatabase } from '../database/orm';
import { runCull } from './cull';
import { planCull } from './cull-plan';
import { liftLegalHold, placeLegalHold } from './legal-hold';

const RULES = { caseRetentionYears: 5, auditRetentionYears: 1 };
/** Far enough ahead that every audit row written now is past a year's retention. */
const LATER = new Date('2031-01-01T12:00:00Z');

/** The SQLSTATE PostgreSQL answers a statement with, or 'ok'. */
async function outcome(client: Client, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await client.query(sql, params);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

/**
 * The audit log's side of culling, on a real database with its two roles: rows past
 * AUDIT_RETENTION_YEARS become tombstones that keep the chain verifiable; only the owner may make
 * them, and only them; a tombstone without a recorded cull, or a row emptied by hand, fails
 * verification; a held case's rows stay; the region not confirming leaves everything as it was.
 */
describe('Culling audit rows: tombstones keep the chain verifiable', () => {
  let database: TestDatabase;
  let runtime: Awaited<ReturnType<typeof createTestRuntimeRole>>;
  let orm: MikroORM;
  let asOwner: Client;
  let asRuntime: Client;
  const held = randomUUID();
  const notHeld = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase('cull');
    runtime = await createTestRuntimeRole(database);
    await migrateMunicipalityDatabase(database.url, runtime.name);
    orm = await openMunicipalityDatabase(database.url);
    asOwner = new Client({ connectionString: database.url });
    asRuntime = new Client({ connectionString: runtime.url });
    await asOwner.connect();
    await asRuntime.connect();
    for (const id of [held, notHeld]) {
      await asOwner.query(
        `insert into participant (id, first_name, last_name, personal_identity_number, protected_identity, birth_date, gender, household_adults, household_children, phase, referral_source, risk_level, excluded_municipalities, intake_date, exit_date, exit_outcome, responsible_caseworker, created_at, updated_at)
         values ($1, 'Test', 'Testsson', $2, false, '1990-01-01', 'MALE', 1, 0, 'COMPLETED', 'POLICE', 'LOW', '{}', '2020-01-01', '2030-06-01', 'COMPLETED', 'cw', now(), now())`,
        [id, id === held ? '199001011234' : '199001021233'],
      );
    }
    // The case not held had a placement, ended: the region holds its traces, so a cull asks the region first.
    await asOwner.query(
      `insert into placement_request (id, participant_id, status, urgency, earliest_start, expected_duration_days, allowed_kinds, created_at, updated_at)
       values ($1, $2, 'ENDED', 'HIGH', '2029-01-01', 30, '{PROTECTED}', now(), now())`,
      [randomUUID(), notHeld],
    );
    const read = (subjectId: string) => ({
      actorSub: 'caseworker-1',
      actorRoles: ['CASEWORKER'],
      actorMunicipality: '0126',
      action: 'READ_PARTICIPANT',
      subjectType: 'Participant',
      subjectId,
      purpose: null,
      requestId: randomUUID(),
    });
    await appendAuditRecords(orm.em.fork(), [read(held), read(notHeld), read(notHeld)]);
    expect(await placeLegalHold(orm.em, { municipalityCode: '0126', participantId: held, reference: 'KS 2030/9', by: 'dpo' })).toBe('placed');
  });
  afterAll(async () => {
    await asOwner?.end();
    await asRuntime?.end();
    await orm?.close();
    await runtime?.drop();
    await database?.drop();
  });

  it('refuses a hold without a valid reference or on an unknown case, naming the field', async () => {
    await expect(
      placeLegalHold(orm.em, { municipalityCode: '0126', participantId: notHeld, reference: 'see mail from Anna <a@b>', by: 'dpo' }),
    ).rejects.toMatchObject({
      problems: [{ field: 'reference', message: expect.stringContaining('diary or case number') }],
    });
    await expect(placeLegalHold(orm.em, { municipalityCode: '0126', participantId: randomUUID(), reference: 'KS 1', by: 'dpo' })).rejects.toMatchObject({
      problems: [{ field: 'participantId', message: 'no participant of this municipality has this id' }],
    });
  });

  it('gives the runtime role no way to place or lift holds, write the cull log, or tombstone a row', async () => {
    expect(await outcome(asRuntime, `insert into legal_hold values ($1, 'x', 'x', now())`, [notHeld])).toBe('42501');
    expect(await outcome(asRuntime, `delete from legal_hold`)).toBe('42501');
    expect(await outcome(asRuntime, `insert into cull_run (id) values ($1)`, [randomUUID()])).toBe('42501');
    expect(await outcome(asRuntime, `update audit_log set culled_in = $1 where seq = 1`, [randomUUID()])).toBe('42501');
  });

  it('lets even the owner neither edit a row nor delete one: only the exact tombstone change passes the trigger', async () => {
    expect(await outcome(asOwner, `update audit_log set actor_sub = 'someone-else' where seq = 1`)).toBe('42501');
    expect(await outcome(asOwner, `delete from audit_log where seq = 1`)).toBe('42501');
    expect(await outcome(asOwner, `update audit_log set culled_in = $1, action = 'CULLED' where seq = 1`, [randomUUID()])).toBe('42501');
    // A tombstone keeps no trace of the bookings an address read concerned (pseudonymous references of a case).
    expect(
      await outcome(
        asOwner,
        `update audit_log set actor_sub = '', actor_roles = '{}', actor_municipality = null, action = 'CULLED', subject_type = '', subject_id = '', purpose = null, request_id = '', concerns_bookings = $2, culled_in = $1 where seq = 1`,
        [randomUUID(), `{${randomUUID()}}`],
      ),
    ).toBe('42501');
  });

  it('dry run: lists the due rows and changes nothing', async () => {
    const plan = await planCull(orm.em.fork(), RULES, LATER);
    // Rows 2–3 (the case not held) are due; row 1 and the hold's own record, about the held case, are not.
    expect(plan.auditRows).toEqual({ count: 2, firstSeq: 2, lastSeq: 3 });
    expect((await asOwner.query(`select count(*)::int as n from audit_log where culled_in is not null`)).rows).toEqual([{ n: 0 }]);
  });

  it('changes nothing when the region does not confirm, or keeps a placement under way', async () => {
    const before = (await asOwner.query(`select t::text from audit_log t order by seq`)).rows;
    await expect(
      runCull(orm.em, {
        municipalityCode: '0126',
        rules: RULES,
        asOf: new Date('2036-01-01T00:00:00Z'),
        runBy: 'cull-test',
        forgetInRegion: () => Promise.reject(new Error('region down')),
      }),
    ).rejects.toThrow('region down');
    // Nor when the region kept a placement (still under way, or not unlinked by its receiver) for a case due: its request must stay for it.
    await expect(
      runCull(orm.em, {
        municipalityCode: '0126',
        rules: RULES,
        asOf: new Date('2036-01-01T00:00:00Z'),
        runBy: 'cull-test',
        forgetInRegion: async () => ({ placements: 0, livePlacementsKept: 1 }),
      }),
    ).rejects.toThrow(/^the region kept 1 placement\(s\) of cases due to be culled: .*; nothing was culled/);
    // With the cases due too (exit 2030, five years), nothing went: no participant, no audit row, no cull log.
    expect((await asOwner.query(`select count(*)::int as n from participant`)).rows).toEqual([{ n: 2 }]);
    expect((await asOwner.query(`select t::text from audit_log t order by seq`)).rows).toEqual(before);
    expect((await asOwner.query(`select count(*)::int as n from cull_run`)).rows).toEqual([{ n: 0 }]);
  });

  it('tombstones the rows past retention, keeps the held case’s, records the cull, and the chain verifies', async () => {
    const { report } = await runCull(orm.em, { municipalityCode: '0126', rules: RULES, asOf: LATER, runBy: 'cull-test', forgetInRegion: async () => ({}) });
    expect(report.auditRowsTombstoned).toBe(2);
    const rows = (await asOwner.query(`select seq::int, action, subject_id, actor_sub, culled_in from audit_log order by seq`)).rows;
    expect(rows).toEqual([
      { seq: 1, action: 'READ_PARTICIPANT', subject_id: held, actor_sub: 'caseworker-1', culled_in: null },
      { seq: 2, action: 'CULLED', subject_id: '', actor_sub: '', culled_in: report.runId },
      { seq: 3, action: 'CULLED', subject_id: '', actor_sub: '', culled_in: report.runId },
      { seq: 4, action: 'LEGAL_HOLD_PLACED', subject_id: held, actor_sub: 'dpo', culled_in: null },
      { seq: 5, action: 'CULL', subject_id: report.runId, actor_sub: 'cull-test', culled_in: null },
    ]);
    expect(await verifyAuditLogAt(database.url)).toEqual({ rows: 5, problems: [] });
  });

  it('names a row emptied without a recorded cull as a problem, like an edited one', async () => {
    // As the owner, a tombstone naming a cull run that no CULL row records.
    await asOwner.query(
      `update audit_log set actor_sub = '', actor_roles = '{}', actor_municipality = null, action = 'CULLED', subject_type = '', subject_id = '', purpose = null, request_id = '', culled_in = $1 where seq = 1`,
      [randomUUID()],
    );
    expect((await verifyAuditLogAt(database.url)).problems).toEqual([
      { seq: 1, problem: 'its content was removed without a recorded cull: no later CULL row names its cull run' },
    ]);
  });

  it('culls the held case only once its hold is lifted', async () => {
    expect((await planCull(orm.em.fork(), RULES, new Date('2036-01-01T00:00:00Z'))).heldCases).toEqual([held]);
    expect(await liftLegalHold(orm.em, { municipalityCode: '0126', participantId: held, by: 'dpo' })).toBe('lifted');
    expect((await planCull(orm.em.fork(), RULES, new Date('2036-01-01T00:00:00Z'))).dueCases.map((c) => c.participantId).sort()).toEqual(
      [held, notHeld].sort(),
    );
  });
});
