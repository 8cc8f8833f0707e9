import { gatewayRegionForgetter, openMunicipalityDatabase, planCull, runCull, verifyAuditLogAt, type CullReport } from '@sodertorn/municipality';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startFaultyProxy, type Fault, type FaultyProxy } from './support/faulty-proxy';
import { memoryLog, type MemoryLog } from './support/memory-logger';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer, overBookedDays, takeStep, takeSteps, type Parties } from './support/placement-journey';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const parties: Parties = { sending: '0126', receiving: '0138' };
const RULES = { caseRetentionYears: 5, auditRetentionYears: 10 };
const FAULTS: Fault[] = ['kill-before', 'freeze-during', 'kill-after', 'freeze-after'];
/** How long the region waits for a municipality (and the gateway for a shard): long enough that only a fault, never a busy machine, runs it out. */
const SHARD_WAIT_MS = 2_500;
/** How long the cull waits for the region's answer: longer than the region's wait for a receiving municipality, so the region's own answer gets back. */
const REGION_WAIT_MS = 5_000;
/** What a failed cull may take beyond its wait for the region (its own transaction, a busy machine). */
const MARGIN_MS = 3_000;

/** Which hop the fault hits: the cull's call to the regional subgraph (through the gateway), or the region's call to the receiving municipality. */
type Hop = 'region' | 'receiver';

/**
 * Whether the party hit has made its part of the step (and committed it) by the time the cull
 * has its outcome, for each fault (see faulty-proxy.ts); a frozen request is made on `thaw()`.
 * Written from what each fault is, not read from the code.
 */
const DONE_BEFORE_THAW: Record<Fault, boolean> = { 'kill-before': false, 'freeze-during': false, 'kill-after': true, 'freeze-after': true };
const DONE_AFTER_THAW: Record<Fault, boolean> = { 'kill-before': false, 'freeze-during': true, 'kill-after': true, 'freeze-after': true };

interface Case {
  hop?: Hop;
  fault?: Fault;
  participantId: string;
  requestId: string;
  placementId: string;
  unitId: string;
}

/**
 * The cull's two cross-service steps under every fault a process can suffer: the cull asks the
 * regional subgraph (through the gateway) to forget a culled case's placement, and the region asks
 * the receiving municipality to unlink its booking from it. Each party is killed before it handles
 * the request, killed after it committed but before answering, frozen with the request in hand
 * (answering late, after the caller gave up), and frozen before answering. The cull must say within
 * a bounded time that the region did not confirm and that nothing was culled, and must cull
 * nothing; a cull after the fault clears must finish: the region's placement and the receiving
 * booking's link forgotten exactly once, the booking's days kept, the case culled exactly once, and
 * every audit chain intact.
 */
describe('Culling under faults: the region and the receiving municipality killed and frozen, before, during and after', () => {
  let region: TestRegion;
  let log: MemoryLog;
  let owner: MikroORM;
  let proxies: Record<Hop, FaultyProxy>;
  const cases: Case[] = [];
  /** A case placed the same way and never closed: nothing of it may change. */
  let kept: Case;

  const sendingDb = () => region.shards.get(parties.sending)!.database.url;
  const receivingDb = () => region.shards.get(parties.receiving)!.database.url;

  const cull = (): Promise<{ report: CullReport }> =>
    runCull(owner.em, {
      municipalityCode: parties.sending,
      rules: RULES,
      asOf: new Date(),
      runBy: 'cull-faults-test',
      forgetInRegion: gatewayRegionForgetter(
        region.gateway.url,
        async () => (await region.bearer(Role.RETENTION_SERVICE, parties.sending)).authorization!.slice('Bearer '.length),
        { timeoutMs: REGION_WAIT_MS },
      ),
    });

  /** A participant of the sending municipality placed in a fresh unit of the receiving one, moved in and out; still open. */
  async function placedCase(hop?: Hop, fault?: Fault): Promise<Case> {
    const { participantId, requestId } = await openRequest(region.gateway.url, parties.sending, {
      participant: { firstName: 'Gallringsfel', gender: 'FEMALE', excludedMunicipalities: [], intakeDate: '2015-03-01' },
      urgency: 'HIGH',
      earliestStart: '2027-03-01',
      days: 20,
      request: { allowedKinds: ['PROTECTED'] },
    });
    const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
    const offered = await offer(region, parties, requestId, unitId);
    if (offered.errors) throw new Error(JSON.stringify(offered.errors));
    const placementId = offered.data!.offerPlacement.id as string;
    await takeSteps(region, parties, placementId, ['accept', 'moveIn']);
    const ended = await takeStep(region, parties, 'end', placementId, { endsOn: '2027-03-10' });
    if (ended.errors) throw new Error(JSON.stringify(ended.errors));
    return { hop, fault, participantId, requestId, placementId, unitId };
  }

  /** Closes the case in 2019: past retention, due on the next cull. */
  async function close(c: Case) {
    const closed = await postGraphQL(
      region.gateway.url,
      `mutation($id: ID!, $input: UpdateParticipantInput!) { updateParticipant(id: $id, input: $input) { phase } }`,
      { id: c.participantId, input: { phase: 'COMPLETED', exitDate: '2019-06-30', exitOutcome: 'COMPLETED' } },
      await bearer(Role.CASEWORKER, parties.sending),
    );
    expect(closed.errors).toBeUndefined();
  }

  /** Where the case stands in each of the three databases. */
  async function statesOf(c: Case) {
    const [participants, requests, placements, bookings, culls, cullRecords] = await Promise.all([
      queryRows(sendingDb(), `select id from participant where id = $1`, [c.participantId]),
      queryRows(sendingDb(), `select id from placement_request where id = $1`, [c.requestId]),
      queryRows(region.regional.database.url, `select id from placement where id = $1`, [c.placementId]),
      queryRows<{ status: string; starts_on: string; ends_on: string; placement_id: string | null }>(
        receivingDb(),
        `select status, starts_on::text, ends_on::text, placement_id::text from booking where unit_id = $1`,
        [c.unitId],
      ),
      queryRows<{ n: string }>(sendingDb(), `select count(*) as n from cull_run`),
      queryRows<{ n: string }>(sendingDb(), `select count(*) as n from audit_log where action = 'CULL'`),
    ]);
    return {
      caseAtHome: participants.length === 1 && requests.length === 1,
      placementInRegion: placements.length === 1,
      bookings,
      /** Culls recorded at home: cull_run rows and CULL rows of the audit chain. */
      culls: [Number(culls[0]!.n), Number(cullRecords[0]!.n)],
    };
  }

  /** The receiving booking, its days as they were: naming the placement or not. */
  const booking = (c: Case, linked: boolean) => [
    { status: 'ENDED', starts_on: '2027-03-01', ends_on: '2027-03-10', placement_id: linked ? c.placementId : null },
  ];

  beforeAll(async () => {
    log = memoryLog('info');
    proxies = { region: await startFaultyProxy('never'), receiver: await startFaultyProxy('never') };
    region = await startTestRegion({
      seed: false,
      logger: log.logger,
      shardTimeoutMs: SHARD_WAIT_MS,
      gatewayRegionalUrl: proxies.region.url,
      regionalUrlOverrides: { [parties.receiving]: proxies.receiver.url },
    });
    proxies.region.setTarget(region.regional.url);
    proxies.receiver.setTarget(region.shards.get(parties.receiving)!.url);
    owner = await openMunicipalityDatabase(sendingDb());
    // Each case in its own unit: set up side by side.
    [kept] = await Promise.all([
      placedCase(),
      ...(['region', 'receiver'] as const).flatMap((hop) => FAULTS.map(async (fault) => void cases.push(await placedCase(hop, fault)))),
    ]);
  });
  // A scenario that failed half-way leaves no fault or frozen request to the next.
  afterEach(async () => {
    for (const proxy of Object.values(proxies)) {
      proxy.clearFaults();
      await proxy.thaw();
    }
  });
  afterAll(async () => {
    await owner?.close();
    await Promise.all(Object.values(proxies ?? {}).map((p) => p.close()));
    await region?.destroy();
  });

  describe.each(['region', 'receiver'] as const)('the %s', (hop) => {
    it.each(FAULTS)('%s: the cull says the region did not confirm and culls nothing; the next cull finishes, each part done once', async (fault) => {
      const c = cases.find((x) => x.hop === hop && x.fault === fault)!;
      await close(c);
      const before = await statesOf(c);
      expect(before).toEqual({ caseAtHome: true, placementInRegion: true, bookings: booking(c, true), culls: before.culls });
      const proxy = proxies[hop];
      proxy.addFault(hop === 'region' ? ['forgetCulledPlacementRequests', c.requestId] : ['forgetCulledPlacement(', c.placementId], fault);

      const logged = log.mark();
      const started = Date.now();
      const failure = await cull().then(
        () => undefined,
        (error: Error) => error,
      );
      const took = Date.now() - started;

      // The truth, in bounded time: the region's part is not confirmed, and nothing was culled.
      expect(failure?.message).toMatch(/nothing was culled/);
      expect(failure?.message).toMatch(hop === 'region' ? /the region did not confirm/ : /receiving municipality/);
      // Whether killed or frozen, the region may have done its part: the operator is told so, not only that it failed.
      if (hop === 'region') expect(failure?.message).toMatch(/may have removed them anyway: the next cull asks again/);
      expect(took).toBeLessThan(REGION_WAIT_MS + MARGIN_MS);
      expect(proxy.frozenCount()).toBe(fault.startsWith('freeze') ? 1 : 0);
      // Which municipality did not answer is in the region's log (the cull only hears a count).
      const unanswered = log
        .since(logged)
        .filter((r) => r.component === 'regional' && r.receivingMunicipality !== undefined)
        .map((r) => r.receivingMunicipality);
      expect(unanswered).toEqual(hop === 'receiver' ? [parties.receiving] : []);

      /** Nothing culled at home; the party hit has done its part only if the fault let it (`done`). */
      const notCulled = (done: boolean) => ({
        caseAtHome: true,
        // The region forgets only once the receiver confirmed; the region hit, its removal is its own transaction.
        placementInRegion: hop === 'region' ? !done : true,
        bookings: booking(c, !done),
        culls: before.culls,
      });
      expect(await statesOf(c)).toEqual(notCulled(DONE_BEFORE_THAW[fault]));

      // The frozen party resumes: a request held is made now, to a caller long gone.
      await proxy.thaw();
      const doneLate = DONE_AFTER_THAW[fault];
      expect(await statesOf(c)).toEqual(notCulled(doneLate));

      // The next cull finishes: the case culled once, the region's placement and the booking's link forgotten once in all.
      const { report } = await cull();
      expect([report.casesCulled, report.placementRequestsRemoved]).toEqual([1, 1]);
      expect(report.region).toMatchObject({
        placements: hop === 'region' && doneLate ? 0 : 1,
        receivingBookingsDetached: doneLate ? 0 : 1,
        livePlacementsKept: 0,
      });
      expect(await statesOf(c)).toEqual({ caseAtHome: false, placementInRegion: false, bookings: booking(c, false), culls: before.culls.map((n) => n + 1) });
      expect(await queryRows(region.regional.database.url, `select id from placement_event where placement_id = $1`, [c.placementId])).toEqual([]);
      expect((await planCull(owner.em.fork(), RULES, new Date())).dueCases).toEqual([]);
      expect(await overBookedDays(receivingDb())).toBe(0);
      for (const url of [sendingDb(), receivingDb()]) expect((await verifyAuditLogAt(url)).problems).toEqual([]);
    });
  });

  it('leaves a case that is not due, its placement and its booking as they were', async () => {
    expect(await statesOf(kept)).toMatchObject({ caseAtHome: true, placementInRegion: true, bookings: booking(kept, true) });
    expect(await queryRows(receivingDb(), `select count(*)::int as n from booking`)).toEqual([{ n: cases.length + 1 }]);
  });
});
