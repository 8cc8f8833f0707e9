import { adminDatabaseUrl, bearer, postGraphQL, Role, keptRequestId } from '@sodertorn/testing';
import { Client } from 'pg';
import { Participant } from '../participants/participant.entity';
import { startTestShard, type TestShard } from '../test-support';
import { auditHash, verifyAuditChain, type AuditRecord } from './audit-chain';
import { verifyStoredChain } from './audit.resolver';

type ChainRow = AuditRecord & { hash: string };

interface AuditRow {
  seq: string;
  occurred_at: Date;
  actor_sub: string;
  actor_roles: string[];
  actor_municipality: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  purpose: string | null;
  request_id: string;
  prev_hash: string;
  hash: string;
}

/** The whole log as verifyAuditChain reads it, in seq order. */
async function chainOf(client: Client): Promise<ChainRow[]> {
  const { rows } = await client.query<AuditRow>('select * from audit_log order by seq');
  return rows.map((row) => ({
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    actorMunicipality: row.actor_municipality,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    purpose: row.purpose,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}

const PARTICIPANTS = `{ participants { id firstName } }`;
const ADDRESSES = `{ myMunicipality(municipalityCode: "0126") { housingUnits { id streetAddress } } }`;
const AUDIT_LOG = `query($subjectId: ID, $limit: Int, $code: ID) {
  auditLog(municipalityCode: $code, subjectId: $subjectId, limit: $limit) { seq actorSub action subjectType subjectId requestId prevHash hash }
}`;

describe('The audit log of a municipal deployment', () => {
  let shard: TestShard;
  /** Superuser on the shard's database: reads the log, and plays the attacker who gets past the trigger. */
  let admin: Client;
  /** The service's own login role, as the deployment itself connects. */
  let service: Client;
  let participants: Participant[];

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    const adminUrl = new URL(adminDatabaseUrl());
    adminUrl.pathname = `/${shard.database.name}`;
    admin = new Client({ connectionString: adminUrl.toString() });
    service = new Client({ connectionString: shard.database.url });
    await Promise.all([admin.connect(), service.connect()]);
    participants = await shard.orm.em.fork().find(Participant, {});
  });
  afterAll(async () => {
    await Promise.all([admin?.end(), service?.end()]);
    await shard.destroy();
  });

  const chain = () => chainOf(admin);
  const rowsOf = async (requestId: string) => (await chain()).filter((row) => row.requestId === requestId);
  const rowCount = async () => (await chain()).length;

  /** A request with its own request id, so the rows it writes can be told apart. */
  async function request(query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}, purpose?: string) {
    const requestId = keptRequestId();
    const result = await postGraphQL(shard.url, query, variables, { ...headers, 'x-request-id': requestId, ...(purpose ? { 'x-purpose': purpose } : {}) });
    return { requestId, result };
  }

  describe('recording reads', () => {
    it('writes one READ_PARTICIPANT row per participant returned, naming the reader, request and purpose', async () => {
      const caseworker = await bearer(Role.CASEWORKER, '0126', 'caseworker-0126-anna');
      const { requestId, result } = await request(PARTICIPANTS, caseworker, {}, 'uppföljning av insats');
      expect(result.errors).toBeUndefined();
      const returned = (result.data!.participants as { id: string }[]).map((p) => p.id).sort();
      expect(returned).toHaveLength(participants.length);

      const rows = await rowsOf(requestId);
      expect(rows.map((row) => row.subjectId).sort()).toEqual(returned);
      for (const row of rows) {
        expect(row).toMatchObject({
          action: 'READ_PARTICIPANT',
          subjectType: 'Participant',
          actorSub: 'caseworker-0126-anna',
          actorRoles: ['CASEWORKER'],
          actorMunicipality: '0126',
          requestId,
          purpose: 'uppföljning av insats',
        });
      }
    });

    it('keeps no personnummer or birth date that a caller put in x-request-id or x-purpose', async () => {
      const caseworker = await bearer(Role.CASEWORKER, '0126', 'caseworker-0126-headers');
      // Synthetic numbers (birth number 98x) with valid check digits, in their natural forms and inside ids.
      const sentIds = ['198501019817', '19850101-9817', '850101-9817', '850101+9817', 'case-8501019817', '19850101-9817-4abc-8def-0123456789ab'];
      const before = await rowCount();
      for (const sent of sentIds) {
        const result = await postGraphQL(
          shard.url,
          PARTICIPANTS,
          {},
          { ...caseworker, 'x-request-id': sent, 'x-purpose': 'check of 1985-01-01 and 01/01/1985' },
        );
        expect(result.errors).toBeUndefined();
      }
      const written = (await chain()).slice(before);
      expect(written).toHaveLength(sentIds.length * participants.length);
      expect(new Set(written.map((row) => row.purpose))).toEqual(new Set(['check of # and #']));
      expect(JSON.stringify(written)).not.toMatch(/8501019817|850101.9817|1985.01.01|01.01.1985|01-01/);
    });

    it('records a missing purpose as null', async () => {
      const { requestId, result } = await request(`query($id: ID!) { participant(id: $id) { id } }`, await bearer(Role.CASEWORKER, '0126'), {
        id: participants[0]!.id,
      });
      expect(result.errors).toBeUndefined();
      expect(await rowsOf(requestId)).toEqual([expect.objectContaining({ subjectId: participants[0]!.id, purpose: null })]);
    });

    it('writes one row for a participant read twice in one request', async () => {
      const id = participants[0]!.id;
      const { requestId, result } = await request(
        `query($id: ID!) { a: participant(id: $id) { firstName } b: participant(id: $id) { lastName personalIdentityNumber } }`,
        await bearer(Role.CASEWORKER, '0126'),
        { id },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ a: { firstName: participants[0]!.firstName }, b: expect.objectContaining({ lastName: participants[0]!.lastName }) });
      expect((await rowsOf(requestId)).map((row) => [row.action, row.subjectId])).toEqual([['READ_PARTICIPANT', id]]);
    });

    it('writes a READ_STREET_ADDRESS row per unit when a housing manager reads addresses', async () => {
      const { requestId, result } = await request(ADDRESSES, await bearer(Role.HOUSING_MANAGER, '0126', 'hm-0126-bo'));
      expect(result.errors).toBeUndefined();
      const unitIds = (result.data!.myMunicipality.housingUnits as { id: string }[]).map((u) => u.id).sort();
      expect(unitIds.length).toBeGreaterThan(0);
      const rows = await rowsOf(requestId);
      expect(rows.map((row) => row.subjectId).sort()).toEqual(unitIds);
      for (const row of rows) {
        expect(row).toMatchObject({ action: 'READ_STREET_ADDRESS', subjectType: 'HousingUnit', actorSub: 'hm-0126-bo', actorRoles: ['HOUSING_MANAGER'] });
      }
    });

    it('writes nothing when units are read without their address', async () => {
      const { requestId, result } = await request(`{ myMunicipality { housingUnits { id district } } }`, await bearer(Role.HOUSING_MANAGER, '0126'));
      expect(result.errors).toBeUndefined();
      expect(result.data!.myMunicipality.housingUnits.length).toBeGreaterThan(0);
      expect(await rowsOf(requestId)).toEqual([]);
    });

    it.each([
      ['a coordinator reading street addresses', ADDRESSES, () => bearer(Role.COORDINATOR)],
      [
        'a caseworker of 0127 reading participants of 0126',
        `{ participants(municipalityCode: "0126") { id firstName } }`,
        () => bearer(Role.CASEWORKER, '0127'),
      ],
      ['a housing manager of 0126 reading participants', PARTICIPANTS, () => bearer(Role.HOUSING_MANAGER, '0126')],
    ])('writes nothing for a forbidden read: %s', async (_who, query, token) => {
      const before = await rowCount();
      const { requestId, result } = await request(query, await token());
      expect(result.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
      expect(await rowsOf(requestId)).toEqual([]);
      expect(await rowCount()).toBe(before);
    });
  });

  describe('the hash chain', () => {
    it('verifies over everything written so far', async () => {
      expect((await request(PARTICIPANTS, await bearer(Role.CASEWORKER, '0126'))).result.errors).toBeUndefined();
      expect((await request(ADDRESSES, await bearer(Role.HOUSING_MANAGER, '0126'))).result.errors).toBeUndefined();
      const rows = await chain();
      expect(rows.length).toBeGreaterThan(participants.length);
      expect(verifyAuditChain(rows)).toEqual([]);
    });

    it('stays one unbroken chain with contiguous seq under 10 concurrent requests', async () => {
      const before = await rowCount();
      const requests = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => request(PARTICIPANTS, await bearer(Role.CASEWORKER, '0126', `caseworker-0126-${i}`))),
      );
      for (const { requestId, result } of requests) {
        expect(result.errors).toBeUndefined();
        expect(await rowsOf(requestId)).toHaveLength(participants.length);
      }
      const rows = await chain();
      expect(rows).toHaveLength(before + 10 * participants.length);
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(verifyAuditChain(rows)).toEqual([]);
    });
  });

  describe("the service's own database role", () => {
    beforeAll(async () => {
      // Something to change or remove, so a statement that got through would matter.
      const { result } = await request(PARTICIPANTS, await bearer(Role.CASEWORKER, '0126'));
      expect(result.errors).toBeUndefined();
    });

    it('is the role the deployment connects as, not a superuser', async () => {
      const { rows } = await service.query<{ user: string; superuser: boolean }>(
        `select current_user as user, rolsuper as superuser from pg_roles where rolname = current_user`,
      );
      expect(rows).toEqual([{ user: shard.database.name, superuser: false }]);
    });

    it.each([
      ['UPDATE', `update audit_log set purpose = 'rewritten' where seq = 1`],
      ['DELETE', `delete from audit_log where seq = (select max(seq) from audit_log)`],
      ['TRUNCATE', `truncate audit_log`],
    ])('cannot %s audit_log', async (_statement, sql) => {
      const before = await chain();
      await expect(service.query(sql)).rejects.toMatchObject({ code: '42501' });
      expect(await chain()).toEqual(before);
    });

    it('can SELECT and INSERT (checked inside a transaction that is rolled back)', async () => {
      const [last] = (await service.query<{ seq: string; hash: string }>('select seq, hash from audit_log order by seq desc limit 1')).rows;
      expect(last).toBeDefined();
      await service.query('begin');
      try {
        const inserted = await service.query(
          `insert into audit_log (seq, occurred_at, actor_sub, actor_roles, actor_municipality, action, subject_type, subject_id, purpose, request_id, prev_hash, hash)
           values ($1, now(), 'privilege-test', '{CASEWORKER}', '0126', 'READ_PARTICIPANT', 'Participant', 'x', null, 'privilege-test', $2, $3)`,
          [Number(last!.seq) + 1, last!.hash, 'f'.repeat(64)],
        );
        expect(inserted.rowCount).toBe(1);
      } finally {
        await service.query('rollback');
      }
      expect((await chain()).some((row) => row.actorSub === 'privilege-test')).toBe(false);
    });

    it('leaves even a superuser unable to UPDATE while the trigger is on', async () => {
      await expect(admin.query(`update audit_log set purpose = 'rewritten' where seq = 1`)).rejects.toThrow(/append-only/);
    });
  });

  describe('tampering by a superuser past the trigger', () => {
    /** Runs `tamper` with triggers off in a transaction, returns what verifyAuditChain then says, and rolls it all back. */
    async function problemsAfter(tamper: (client: Client) => Promise<unknown>) {
      await admin.query('begin');
      try {
        await admin.query('set local session_replication_role = replica');
        await tamper(admin);
        return verifyAuditChain(await chainOf(admin));
      } finally {
        await admin.query('rollback');
      }
    }

    beforeAll(async () => {
      const { result } = await request(PARTICIPANTS, await bearer(Role.CASEWORKER, '0126'));
      expect(result.errors).toBeUndefined();
      expect(verifyAuditChain(await chain())).toEqual([]);
      expect((await chain()).length).toBeGreaterThan(5);
    });
    afterAll(async () => {
      // Every tampering was rolled back: the chain is whole again.
      expect(verifyAuditChain(await chain())).toEqual([]);
    });

    it('detects an edited row and names its seq', async () => {
      const problems = await problemsAfter((c) => c.query(`update audit_log set actor_sub = 'someone-else' where seq = 3`));
      expect(problems).toEqual([{ seq: 3, problem: expect.stringContaining('edited') }]);
    });

    it('detects an edited row whose hash was recomputed, at the row after it', async () => {
      const problems = await problemsAfter(async (c) => {
        const row = (await chainOf(c)).find((r) => r.seq === 3)!;
        await c.query('update audit_log set purpose = $1, hash = $2 where seq = 3', ['covering tracks', auditHash({ ...row, purpose: 'covering tracks' })]);
      });
      expect(problems).toEqual([{ seq: 4, problem: expect.stringContaining('does not link') }]);
    });

    it('detects a deleted middle row', async () => {
      const problems = await problemsAfter((c) => c.query('delete from audit_log where seq = 3'));
      expect(problems.map((p) => p.seq)).toEqual([4, 4]);
      expect(problems.map((p) => p.problem).join(' ')).toMatch(/missing or reordered.*does not link/);
    });

    it('detects two rows whose contents were swapped', async () => {
      const columns = 'occurred_at, actor_sub, actor_roles, actor_municipality, action, subject_type, subject_id, purpose, request_id, prev_hash, hash';
      const problems = await problemsAfter((c) =>
        c.query(
          `update audit_log a set (${columns}) = (select ${columns} from audit_log b where b.seq = case a.seq when 2 then 3 else 2 end) where a.seq in (2, 3)`,
        ),
      );
      expect(problems.map((p) => p.seq)).toEqual(expect.arrayContaining([2, 3]));
    });

    it('(control) reports nothing when the transaction changes nothing', async () => {
      expect(await problemsAfter(async () => undefined)).toEqual([]);
    });
  });

  describe('the auditLog query', () => {
    it('gives an auditor of 0126 the log, oldest first, and records that read', async () => {
      const subject = participants[1]!.id;
      for (const sub of ['caseworker-0126-a', 'caseworker-0126-b']) {
        const read = await request(`query($id: ID!) { participant(id: $id) { id } }`, await bearer(Role.CASEWORKER, '0126', sub), { id: subject });
        expect(read.result.errors).toBeUndefined();
      }
      const { requestId, result } = await request(AUDIT_LOG, await bearer(Role.AUDITOR, '0126', 'auditor-0126-cia'), { subjectId: subject });
      expect(result.errors).toBeUndefined();
      const expected = (await chain())
        .filter((row) => row.subjectId === subject && row.requestId !== requestId)
        .map(({ seq, actorSub, action, subjectType, subjectId, requestId: id, prevHash, hash }) => ({
          seq,
          actorSub,
          action,
          subjectType,
          subjectId,
          requestId: id,
          prevHash,
          hash,
        }));
      expect(expected.length).toBeGreaterThan(1);
      expect(result.data!.auditLog).toEqual(expected);

      expect(await rowsOf(requestId)).toEqual([
        expect.objectContaining({
          action: 'READ_AUDIT_LOG',
          subjectType: 'AuditLog',
          subjectId: subject,
          actorSub: 'auditor-0126-cia',
          actorRoles: ['AUDITOR'],
        }),
      ]);
    });

    it('pages by limit from the start of the chain', async () => {
      const { result } = await request(AUDIT_LOG, await bearer(Role.AUDITOR, '0126'), { limit: 3 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.auditLog.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    });

    describe('filters', () => {
      const FILTERED = `query($actorSub: String, $action: String, $purpose: String, $from: DateTime, $to: DateTime) {
        auditLog(actorSub: $actorSub, action: $action, purpose: $purpose, from: $from, to: $to, limit: 1000) { seq actorSub action purpose }
      }`;
      beforeAll(async () => {
        // Two readers with purposes that differ only where an unescaped LIKE wildcard would not tell them apart.
        for (const [sub, purpose] of [
          ['caseworker-0126-filter-a', 'Review a_b'],
          ['caseworker-0126-filter-b', 'Review axb'],
        ]) {
          const read = await request(PARTICIPANTS, await bearer(Role.CASEWORKER, '0126', sub), {}, purpose);
          expect(read.result.errors).toBeUndefined();
        }
      });
      /** The log as the database holds it, minus the rows the auditor's own reads add. */
      const expected = async (keep: (row: ChainRow) => boolean) =>
        (await chain())
          .filter((row) => row.action !== 'READ_AUDIT_LOG' && keep(row))
          .map(({ seq, actorSub, action, purpose }) => ({ seq, actorSub, action, purpose }));
      const auditor = () => bearer(Role.AUDITOR, '0126');

      it('by who: only the reads of one sub', async () => {
        const { result } = await request(FILTERED, await auditor(), { actorSub: 'caseworker-0126-filter-a' });
        expect(result.errors).toBeUndefined();
        expect(result.data!.auditLog).toEqual(await expected((row) => row.actorSub === 'caseworker-0126-filter-a'));
        expect(result.data!.auditLog).toHaveLength(participants.length);
      });

      it('by what and purpose: the text is matched in any case, its _ literally', async () => {
        const { result } = await request(FILTERED, await auditor(), { action: 'READ_PARTICIPANT', purpose: 'REVIEW A_B' });
        expect(result.errors).toBeUndefined();
        expect(result.data!.auditLog).toEqual(await expected((row) => row.action === 'READ_PARTICIPANT' && row.purpose === 'Review a_b'));
        expect(result.data!.auditLog.length).toBeGreaterThan(0);
      });

      it('by when: from inclusive, to exclusive', async () => {
        const rows = (await chain()).filter((row) => row.actorSub.startsWith('caseworker-0126-filter-'));
        const from = rows[0]!.occurredAt;
        const to = rows.at(-1)!.occurredAt;
        const { result } = await request(FILTERED, await auditor(), { from, to, action: 'READ_PARTICIPANT' });
        expect(result.errors).toBeUndefined();
        expect(result.data!.auditLog).toEqual(await expected((row) => row.action === 'READ_PARTICIPANT' && row.occurredAt >= from && row.occurredAt < to));
      });

      it.each([
        ['action', { action: 'DELETE_PARTICIPANT' }],
        ['actorSub', { actorSub: '' }],
        ['purpose', { purpose: 'x'.repeat(201) }],
        ['from', { from: '1999-12-31T00:00:00Z' }],
        ['to', { to: '2100-01-02T00:00:00Z' }],
        // The API’s one calendar: no date more than three years ahead (here the last day of the fourth year on).
        ['to', { to: `${Number(new Date().toISOString().slice(0, 4)) + 4}-12-31T00:00:00Z` }],
        ['to', { from: '2026-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }],
      ])('refuses a bad %s, naming the field', async (field, variables) => {
        const { result } = await request(FILTERED, await auditor(), variables);
        expect(result.errors?.map((e) => [e.extensions?.code, (e.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field)])).toEqual([
          ['VALIDATION_FAILED', [field]],
        ]);
      });
    });

    it.each([
      ['a caseworker of 0126', () => bearer(Role.CASEWORKER, '0126')],
      ['an auditor of 0127', () => bearer(Role.AUDITOR, '0127')],
      ['a coordinator', () => bearer(Role.COORDINATOR)],
    ])('is FORBIDDEN to %s, and records nothing', async (_who, token) => {
      const before = await rowCount();
      const { requestId, result } = await request(AUDIT_LOG, await token(), { code: '0126' });
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(result)).not.toMatch(/[0-9a-f]{64}/);
      expect(await rowsOf(requestId)).toEqual([]);
      expect(await rowCount()).toBe(before);
    });
  });

  describe('the auditChainVerification query', () => {
    const VERIFY = `query($code: ID) { auditChainVerification(municipalityCode: $code) { intact rows lastSeq problems { seq problem } } }`;

    it('finds the chain intact over every row written so far', async () => {
      const before = await chain();
      const { result } = await request(VERIFY, await bearer(Role.AUDITOR, '0126'));
      expect(result.errors).toBeUndefined();
      expect(result.data!.auditChainVerification).toEqual({ intact: true, rows: before.length, lastSeq: before.at(-1)!.seq, problems: [] });
    });

    it('walks a log longer than one page the same as all at once', async () => {
      const rows = await chain();
      expect(rows.length).toBeGreaterThan(3 * 7);
      const verifier = await verifyStoredChain(shard.orm.em.fork(), 7);
      expect([verifier.rows, verifier.lastSeq, verifier.problems]).toEqual([rows.length, rows.at(-1)!.seq, []]);
    });

    it('finds an edited row, committed past the trigger, and names its seq', async () => {
      const original = (await chain()).find((row) => row.seq === 3)!;
      const setPurpose = async (purpose: string | null) => {
        await admin.query('begin');
        await admin.query('set local session_replication_role = replica');
        await admin.query('update audit_log set purpose = $1 where seq = 3', [purpose]);
        await admin.query('commit');
      };
      await setPurpose('rewritten');
      try {
        const { result } = await request(VERIFY, await bearer(Role.AUDITOR, '0126'));
        expect(result.errors).toBeUndefined();
        expect(result.data!.auditChainVerification).toMatchObject({ intact: false, problems: [{ seq: 3, problem: expect.stringContaining('edited') }] });
        // Across pages too: the row after a page boundary still links to the one before it.
        expect((await verifyStoredChain(shard.orm.em.fork(), 3)).problems).toEqual([{ seq: 3, problem: expect.stringContaining('edited') }]);
      } finally {
        await setPurpose(original.purpose);
      }
      expect(verifyAuditChain(await chain())).toEqual([]);
    });

    it.each([
      ['a caseworker of 0126', () => bearer(Role.CASEWORKER, '0126')],
      ['an auditor of 0127', () => bearer(Role.AUDITOR, '0127')],
      ['a coordinator', () => bearer(Role.COORDINATOR)],
    ])('is FORBIDDEN to %s', async (_who, token) => {
      const { result } = await request(VERIFY, await token(), { code: '0126' });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    });
  });
});
