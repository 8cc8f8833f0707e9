import { gatewayRegionForgetter, liftLegalHold, placeLegalHold, planCull, runCull, verifyAuditLogAt, type CullReport } from '@sodertorn/municipality';
import { openMunicipalityDatabase } from '@sodertorn/municipality';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { memoryLog, type MemoryLog } from './support/memory-logger';
import { syntheticPersonnummer } from './support/personnummer';
import { freshUnit } from './support/placement-fixtures';
import { offer, takeStep, takeSteps, type Parties } from './support/placement-journey';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const parties: Parties = { sending: '0126', receiving: '0138' };
const RULES = { caseRetentionYears: 5, auditRetentionYears: 10 };
const YEAR = 2019;
const RELEASE = `mutation($year: Int!) { releaseStatistics(year: $year) }`;
const STATISTICS = `query($dataset: String!, $year: Int!) { statistics(dataset: $dataset, year: $year) { release releasedAt rows { period municipalityCode category value suppressed } } }`;
const PARTICIPANTS = `{ participants { id firstName } }`;

/** A unique marker: a name no one else has, searched for in every database, log and export after the cull. */
const marker = () => `Gallra${randomBytes(6).toString('hex')}`;

/**
 * Issue #18, retention and culling, end to end: a closed case past its retention period, placed in
 * another municipality, is culled from its home shard and every trace the region holds under its
 * pseudonymous references; open cases, recent closed cases, held cases and other municipalities
 * stay; the audit chain still verifies; a dry run changes nothing; the released statistics of the
 * case's year do not change; and the case's unique values are nowhere afterwards.
 */
describe('Culling a closed case past its retention period', () => {
  let region: TestRegion;
  let log: MemoryLog;
  let owner: MikroORM;
  const cases: Record<
    'culled' | 'open' | 'recent' | 'held' | 'otherMunicipality',
    { participantId: string; requestId: string; name: string; personnummer: string }
  > = {} as never;
  let culledCaseReference = '';
  let placementId = '';
  let receivingUnitId = '';

  /** Registers a participant with a marker name, as their caseworker; closed with `exitDate` unless open. */
  async function participant(municipality: string, n: number, exitDate: string | null, withRequest = false) {
    const name = marker();
    const person = syntheticPersonnummer(n, 1985);
    const caseworker = await bearer(Role.CASEWORKER, municipality);
    const registered = await postGraphQL(
      region.gateway.url,
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          firstName: name,
          lastName: 'Testsson',
          ...person,
          gender: 'FEMALE',
          householdChildren: 0,
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: [],
          intakeDate: '2015-03-01',
          responsibleCaseworker: 'cw',
        },
      },
      caseworker,
    );
    expect(registered.errors).toBeUndefined();
    const participantId = registered.data!.registerParticipant.id as string;
    let requestId = '';
    if (withRequest) {
      const created = await postGraphQL(
        region.gateway.url,
        `mutation($id: ID!, $input: CreatePlacementRequestInput!) { createPlacementRequest(participantId: $id, input: $input) { id caseReference } }`,
        { id: participantId, input: { urgency: 'HIGH', earliestStart: '2027-03-01', expectedDurationDays: 20, allowedKinds: ['PROTECTED'] } },
        caseworker,
      );
      expect(created.errors).toBeUndefined();
      requestId = created.data!.createPlacementRequest.id;
      if (municipality === parties.sending && !culledCaseReference) culledCaseReference = created.data!.createPlacementRequest.caseReference;
    }
    return { participantId, requestId, name, personnummer: person.personalIdentityNumber, close: () => close(municipality, participantId, exitDate) };
  }

  async function close(municipality: string, participantId: string, exitDate: string | null) {
    if (!exitDate) return;
    const closed = await postGraphQL(
      region.gateway.url,
      `mutation($id: ID!, $input: UpdateParticipantInput!) { updateParticipant(id: $id, input: $input) { phase } }`,
      { id: participantId, input: { phase: 'COMPLETED', exitDate, exitOutcome: 'COMPLETED' } },
      await bearer(Role.CASEWORKER, municipality),
    );
    expect(closed.errors).toBeUndefined();
  }

  /** The cull as the municipality's job runs it: as the database owner, asking the region through the gateway with its RETENTION_SERVICE token. */
  const forgetter = () =>
    gatewayRegionForgetter(region.gateway.url, async () =>
      (await region.bearer(Role.RETENTION_SERVICE, parties.sending)).authorization!.slice('Bearer '.length),
    );
  const cull = (asOf = new Date()): Promise<{ report: CullReport }> =>
    runCull(owner.em, { municipalityCode: parties.sending, rules: RULES, asOf, runBy: 'cull-job-test', forgetInRegion: forgetter() });

  const databases = () => [
    ...[...region.shards.values()].map((s) => ({ name: s.municipalityCode, url: s.database.url })),
    { name: 'regional', url: region.regional.database.url },
  ];

  /** Every row of every table of every database of the region, as text (what a search for a value reads). */
  async function everyRow(): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (const db of databases()) {
      const tables = await queryRows<{ name: string }>(db.url, `select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
      for (const { name } of tables) {
        const rows = await queryRows<{ row: string }>(db.url, `select t::text as row from "${name}" t order by 1`);
        found.set(
          `${db.name}.${name}`,
          rows.map((r) => r.row),
        );
      }
    }
    return found;
  }
  /** Where `value` appears: `database.table` names. */
  const whereIs = (rows: Map<string, string[]>, value: string) =>
    [...rows].filter(([, lines]) => lines.some((line) => line.includes(value))).map(([table]) => table);

  const statisticsOf = async (dataset: string) => {
    const result = await postGraphQL(region.gateway.url, STATISTICS, { dataset, year: YEAR }, await bearer(Role.ANALYST));
    expect(result.errors).toBeUndefined();
    return result.data!.statistics;
  };
  const exportOf = async (dataset: string, format: 'csv' | 'json') =>
    (await fetch(new URL(`/stats/${dataset}.${format}?year=${YEAR}`, region.gateway.url), { headers: await bearer(Role.ANALYST) })).text();

  let statisticsBefore: unknown[];
  let rowsBeforeDryRun: Map<string, string[]>;
  let dryRun: Awaited<ReturnType<typeof planCull>>;
  let report: CullReport;

  beforeAll(async () => {
    log = memoryLog('debug');
    region = await startTestRegion({ seed: false, logger: log.logger });
    owner = await openMunicipalityDatabase(region.shards.get(parties.sending)!.database.url);

    // The case to cull: placed in Tyresö, moved in and out, closed in 2019; its participant read by its caseworker.
    const culled = await participant(parties.sending, 9101, '2019-06-30', true);
    const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
    receivingUnitId = unitId;
    const offered = await offer(region, parties, culled.requestId, unitId);
    expect(offered.errors).toBeUndefined();
    placementId = offered.data!.offerPlacement.id;
    await takeSteps(region, parties, placementId, ['accept', 'moveIn']);
    expect((await takeStep(region, parties, 'end', placementId, { endsOn: '2027-03-10' })).errors).toBeUndefined();
    await culled.close();
    const read = await postGraphQL(
      region.gateway.url,
      `query($id: ID!) { participant(id: $id) { firstName } }`,
      { id: culled.participantId },
      await bearer(Role.CASEWORKER, parties.sending),
    );
    expect(read.data!.participant.firstName).toBe(culled.name);
    cases.culled = culled;

    const open = await participant(parties.sending, 9102, null, true);
    const recent = await participant(parties.sending, 9103, '2024-01-15');
    await recent.close();
    const held = await participant(parties.sending, 9104, '2018-05-01');
    await held.close();
    const other = await participant(parties.receiving, 9105, '2018-05-01');
    await other.close();
    Object.assign(cases, { open, recent, held, otherMunicipality: other });
    expect(
      await placeLegalHold(owner.em, { municipalityCode: parties.sending, participantId: held.participantId, reference: 'KS 2026/117', by: 'dpo-test' }),
    ).toBe('placed');

    // The year's statistics, released before the cull.
    const made = await postGraphQL(region.gateway.url, RELEASE, { year: YEAR }, await bearer(Role.COORDINATOR));
    expect(made.errors).toBeUndefined();
    statisticsBefore = [await statisticsOf('exits_by_outcome'), await statisticsOf('intakes_by_referral_source')];
    expect(statisticsBefore.map((table) => (table as { rows: unknown[] }).rows.length)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(...statisticsBefore.map((table) => (table as { rows: unknown[] }).rows.length))).toBeGreaterThan(0);

    rowsBeforeDryRun = await everyRow();
    dryRun = await planCull(owner.em.fork(), RULES, new Date());
  });
  afterAll(async () => {
    await owner?.close();
    await region?.destroy();
  });

  describe('the dry run', () => {
    it('lists the one closed case past retention with its placement request, and the held case apart', () => {
      expect(dryRun.dueCases).toEqual([{ participantId: cases.culled.participantId, requestIds: [cases.culled.requestId] }]);
      expect(dryRun.heldCases).toEqual([cases.held.participantId]);
      expect(dryRun.auditRows.count).toBe(0);
    });

    it('changes nothing in any database', async () => {
      expect(await everyRow()).toEqual(rowsBeforeDryRun);
    });
  });

  describe('the region’s forget call', () => {
    const FORGET = `mutation($ids: [ID!]!) { forgetCulledPlacementRequests(requestIds: $ids) { placements livePlacementsKept } }`;

    it('forgets nothing of another municipality: Botkyrka’s culling job asking for Huddinge’s request removes nothing', async () => {
      const result = await postGraphQL(region.gateway.url, FORGET, { ids: [cases.culled.requestId] }, await region.bearer(Role.RETENTION_SERVICE, '0127'));
      expect([result.errors, result.data]).toEqual([undefined, { forgetCulledPlacementRequests: { placements: 0, livePlacementsKept: 0 } }]);
      expect(await queryRows(region.regional.database.url, `select id from placement where request_id = $1`, [cases.culled.requestId])).toEqual([
        { id: placementId },
      ]);
    });

    it('is refused to every other role, and names the field for ids that are not request ids', async () => {
      for (const [role, municipality] of [
        [Role.CASEWORKER, parties.sending],
        [Role.COORDINATOR, undefined],
        [Role.SERVICE, undefined],
      ] as const) {
        const refused = await postGraphQL(region.gateway.url, FORGET, { ids: [cases.culled.requestId] }, await region.bearer(role, municipality));
        expect([role, refused.errors?.[0]?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
      }
      const invalid = await postGraphQL(region.gateway.url, FORGET, { ids: ['not-an-id'] }, await region.bearer(Role.RETENTION_SERVICE, parties.sending));
      expect(invalid.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'requestIds', message: 'must be placement request ids (UUIDs)' }],
      });
    });
  });

  describe('the cull', () => {
    beforeAll(async () => {
      ({ report } = await cull());
    });

    it('reports what it removed here and what the region removed, counts only', () => {
      expect(report).toEqual({
        runId: expect.any(String),
        casesCulled: 1,
        placementRequestsRemoved: 1,
        idempotencyRecordsRemoved: expect.any(Number),
        auditRowsTombstoned: 0,
        heldCasesSkipped: 1,
        casesWithLiveRequestsSkipped: 0,
        region: {
          placements: 1,
          placementEvents: 5,
          notificationEvents: expect.any(Number),
          notificationDeliveries: 0,
          receivingBookingsDetached: 1,
          livePlacementsKept: 0,
        },
      });
      expect(report.idempotencyRecordsRemoved).toBeGreaterThan(0);
      expect(report.region.notificationEvents).toBeGreaterThan(0);
    });

    it('removes the case from its home shard and keeps the open, the recent and the held case', async () => {
      const listed = await postGraphQL(region.gateway.url, PARTICIPANTS, {}, await bearer(Role.CASEWORKER, parties.sending));
      const names = listed.data!.participants.map((p: { firstName: string }) => p.firstName);
      expect(names).not.toContain(cases.culled.name);
      expect(names).toEqual(expect.arrayContaining([cases.open.name, cases.recent.name, cases.held.name]));
    });

    it('leaves other municipalities untouched', async () => {
      const listed = await postGraphQL(region.gateway.url, PARTICIPANTS, {}, await bearer(Role.CASEWORKER, parties.receiving));
      expect(listed.data!.participants.map((p: { firstName: string }) => p.firstName)).toContain(cases.otherMunicipality.name);
      const after = await everyRow();
      for (const [table, rows] of after) {
        if (table.startsWith(`${parties.sending}.`) || table.startsWith('regional.')) continue;
        // The receiving municipality's booking and step records of the placement are unlinked (checked below); the rest is as it was.
        if ([`${parties.receiving}.booking`, `${parties.receiving}.idempotent_operation`].includes(table)) continue;
        // Their audit logs only grew (by this test's own reads since): nothing in them was culled.
        const before = rowsBeforeDryRun.get(table)!;
        expect([table, table.endsWith('.audit_log') ? rows.slice(0, before.length) : rows]).toEqual([table, before]);
      }
    });

    it('removes every trace the region held under the case’s request (placement, history, notifications) and unlinks the receiving booking', async () => {
      const regional = region.regional.database.url;
      expect(await queryRows(regional, `select id from placement where request_id = $1`, [cases.culled.requestId])).toEqual([]);
      expect(await queryRows(regional, `select id from placement_event where placement_id = $1`, [placementId])).toEqual([]);
      expect(await queryRows(regional, `select id from notification_event where data::text like $1`, [`%${placementId}%`])).toEqual([]);
      // The receiving municipality keeps its booking's days (its unit's occupancy), no longer naming the placement.
      expect(
        await queryRows(
          region.shards.get(parties.receiving)!.database.url,
          `select status, starts_on::text, ends_on::text, placement_id from booking where unit_id = $1`,
          [receivingUnitId],
        ),
      ).toEqual([{ status: 'ENDED', starts_on: '2027-03-01', ends_on: '2027-03-10', placement_id: null }]);
    });

    it('keeps every audit chain verifiable, the cull recorded in it', async () => {
      for (const db of databases().filter((d) => d.name !== 'regional')) expect([db.name, (await verifyAuditLogAt(db.url)).problems]).toEqual([db.name, []]);
      const [row] = await queryRows<{ action: string; subject_id: string; purpose: string }>(
        region.shards.get(parties.sending)!.database.url,
        `select action, subject_id, purpose from audit_log where action = 'CULL'`,
      );
      expect(row).toEqual({ action: 'CULL', subject_id: report.runId, purpose: 'retention: 1 cases, 0 audit rows' });
      expect(await queryRows(region.shards.get(parties.sending)!.database.url, `select cases_culled, held_cases_skipped, run_by from cull_run`)).toEqual([
        { cases_culled: 1, held_cases_skipped: 1, run_by: 'cull-job-test' },
      ]);
    });

    it('leaves the released statistics of the case’s year as released', async () => {
      expect([await statisticsOf('exits_by_outcome'), await statisticsOf('intakes_by_referral_source')]).toEqual(statisticsBefore);
    });

    it('leaves no culled value in any database, in any service log, or in the statistics exports', async () => {
      const rows = await everyRow();
      const exports = [
        await exportOf('exits_by_outcome', 'csv'),
        await exportOf('exits_by_outcome', 'json'),
        await exportOf('intakes_by_referral_source', 'csv'),
      ];
      for (const value of [cases.culled.name, cases.culled.personnummer, culledCaseReference, cases.culled.requestId]) {
        expect([value, whereIs(rows, value)]).toEqual([value, []]);
        expect([value, log.lines.filter((line) => line.includes(value))]).toEqual([value, []]);
        expect(exports.filter((text) => text.includes(value))).toEqual([]);
      }
      // The region's placement id is gone from every database: the region's rows, and the receiving municipality's booking
      // (which keeps its days, so its unit's occupancy is unchanged) and step records no longer name it.
      expect(whereIs(rows, placementId)).toEqual([]);
      // The participant's opaque id remains only in its shard's audit rows of reads (kept for AUDIT_RETENTION_YEARS), resolving to nothing.
      expect(whereIs(rows, cases.culled.participantId)).toEqual([`${parties.sending}.audit_log`]);
      // Nothing else was culled: the kept cases' markers are still there.
      expect(whereIs(rows, cases.held.name)).toEqual([`${parties.sending}.participant`]);
    });

    it('finds nothing more to cull the second time (the held case stays until its hold is lifted)', async () => {
      expect((await planCull(owner.em.fork(), RULES, new Date())).dueCases).toEqual([]);
    });
  });

  describe('a legal hold', () => {
    it('once lifted (recorded in the chain), lets the next cull take the case', async () => {
      expect(await liftLegalHold(owner.em, { municipalityCode: parties.sending, participantId: cases.held.participantId, by: 'dpo-test' })).toBe('lifted');
      const actions = await queryRows<{ action: string; purpose: string }>(
        region.shards.get(parties.sending)!.database.url,
        `select action, purpose from audit_log where subject_id = $1 and action like 'LEGAL_HOLD%' order by seq`,
        [cases.held.participantId],
      );
      expect(actions).toEqual([
        { action: 'LEGAL_HOLD_PLACED', purpose: 'legal hold KS 2026/117' },
        { action: 'LEGAL_HOLD_LIFTED', purpose: 'legal hold KS 2026/117' },
      ]);
      const { report: second } = await cull();
      expect([second.casesCulled, second.heldCasesSkipped]).toEqual([1, 0]);
      expect(await queryRows(region.shards.get(parties.sending)!.database.url, `select id from participant where id = $1`, [cases.held.participantId])).toEqual(
        [],
      );
      expect((await verifyAuditLogAt(region.shards.get(parties.sending)!.database.url)).problems).toEqual([]);
    });
  });

  describe('a receiving municipality that does not answer', () => {
    it('keeps the placement in the region and the case at home: nothing is culled until it answers', async () => {
      const again = await participant(parties.sending, 9106, '2019-02-01', true);
      const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
      const offered = await offer(region, parties, again.requestId, unitId);
      expect(offered.errors).toBeUndefined();
      const id = offered.data!.offerPlacement.id as string;
      await takeSteps(region, parties, id, ['accept', 'moveIn']);
      expect((await takeStep(region, parties, 'end', id, { endsOn: '2027-03-10' })).errors).toBeUndefined();
      await again.close();

      await region.shards.get(parties.receiving)!.stopServing();
      await expect(cull()).rejects.toThrow(
        'the region kept 1 placement(s) of cases due to be culled: still under way, or not confirmed by their receiving municipality, which did not answer',
      );
      expect(await queryRows(region.shards.get(parties.sending)!.database.url, `select id from participant where id = $1`, [again.participantId])).toEqual([
        { id: again.participantId },
      ]);
      expect(await queryRows(region.regional.database.url, `select status from placement where id = $1`, [id])).toEqual([{ status: 'ENDED' }]);
      expect((await verifyAuditLogAt(region.shards.get(parties.sending)!.database.url)).problems).toEqual([]);
    });
  });
});
