import { postGraphQL, Role } from '@sodertorn/testing';
import { startFaultyProxy, type Fault, type FaultyProxy } from './support/faulty-proxy';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer, takeSteps } from './support/placement-journey';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const HOME = '0126';
const RECEIVING = '0138';
const parties = { sending: HOME, receiving: RECEIVING };
const HOME_CASEWORKER = 'cw-0126-extract-faults';
const RECEIVING_MANAGER = 'hm-0138-extract-faults';
/** How long the gateway waits for a shard: long enough that only a fault, never a busy machine, runs it out. */
const SHARD_WAIT_MS = 2_500;
/** What an extract may take beyond that wait (the home shard, the region, a busy machine). */
const MARGIN_MS = 3_000;

interface Read {
  municipalityCode: string;
  actorSub: string;
  action: string;
  purpose: string | null;
}
interface Extract {
  reads: Read[];
  incomplete: string[];
  placementRequests: { placements: { id: string }[] | null }[];
}

/**
 * Whether the receiving shard has looked the reads up (and recorded its look-up, READ_AUDIT_LOG of
 * the booking) by the time the extract is answered, and once a frozen shard resumes: written from
 * what each fault is (see faulty-proxy.ts), not read from the code.
 */
const LOOKED_UP: Record<Fault, { before: number; after: number }> = {
  'kill-before': { before: 0, after: 0 },
  'freeze-during': { before: 0, after: 1 },
  'kill-after': { before: 1, after: 1 },
  'freeze-after': { before: 1, after: 1 },
};

/**
 * A participant's register extract when the receiving municipality, asked through the federation for
 * its reads of the placed participant's address (`Booking.addressReads`), is killed before it
 * handles the look-up, killed after making it, frozen with it in hand (answering late, after the
 * gateway gave up) or frozen before answering — on every attempt the gateway makes. The extract must
 * come within a bounded time, with everything the others hold, saying that it is incomplete and which
 * municipality is missing; the receiving shard's log must hold exactly the look-ups it made; and the
 * extract produced again once the fault clears must be complete.
 */
describe('Access request under faults: the receiving municipality killed and frozen, before, during and after its look-up', () => {
  let region: TestRegion;
  let proxy: FaultyProxy;
  let participantId = '';
  let placementId = '';
  let bookingId = '';

  const receivingDb = () => region.shards.get(RECEIVING)!.database.url;
  /** The receiving shard's recorded look-ups of the booking's reads. */
  const lookUps = async () =>
    Number(
      (
        await queryRows<{ n: string }>(receivingDb(), `select count(*) as n from audit_log where action = 'READ_AUDIT_LOG' and subject_id = $1`, [bookingId])
      )[0]!.n,
    );

  /** The extract as the home caseworker downloads it (POST /access-request, JSON); how long it took. */
  async function extract(): Promise<{ status: number; document: Extract; took: number }> {
    const started = Date.now();
    const response = await fetch(new URL('/access-request', region.gateway.url), {
      method: 'POST',
      headers: {
        ...(await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER)),
        accept: 'application/json',
        'content-type': 'application/json',
        'x-purpose': 'Registerutdrag',
      },
      body: JSON.stringify({ participantId }),
    });
    const document = (await response.json()) as Extract;
    return { status: response.status, document, took: Date.now() - started };
  }

  /** What a complete extract holds of the two municipalities: the receiving manager's read of the address, the home log's own productions. */
  const expectComplete = (document: Extract) => {
    expect(document.incomplete).toEqual([]);
    expect(document.placementRequests.map((r) => r.placements?.map((p) => p.id))).toEqual([[placementId]]);
    expect(document.reads.filter((r) => r.municipalityCode === RECEIVING).map((r) => [r.actorSub, r.action, r.purpose])).toEqual([
      [RECEIVING_MANAGER, 'READ_STREET_ADDRESS', 'Nyckelöverlämning'],
    ]);
    expect(document.reads.at(-1)).toMatchObject({ municipalityCode: HOME, action: 'ACCESS_REQUEST' });
  };

  beforeAll(async () => {
    proxy = await startFaultyProxy('never');
    region = await startTestRegion({ seed: false, shardTimeoutMs: SHARD_WAIT_MS, gatewayUrlOverrides: { [RECEIVING]: proxy.url } });
    proxy.setTarget(region.shards.get(RECEIVING)!.url);

    const caseworker = await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER);
    const opened = await openRequest(region.gateway.url, HOME, {
      caseworker,
      participant: {
        firstName: 'Felextrakt',
        lastName: 'Registersdotter',
        gender: 'FEMALE',
        excludedMunicipalities: [],
        intakeDate: '2026-10-01',
        responsibleCaseworker: HOME_CASEWORKER,
      },
      urgency: 'HIGH',
      earliestStart: '2027-03-01',
      days: 60,
      request: { allowedKinds: ['PROTECTED'] },
    });
    participantId = opened.participantId;
    const unitId = await freshUnit(region.gateway.url, RECEIVING, 1);
    const offered = await offer(region, parties, opened.requestId, unitId);
    if (offered.errors) throw new Error(JSON.stringify(offered.errors));
    placementId = offered.data!.offerPlacement.id;
    await takeSteps(region, parties, placementId, ['accept', 'moveIn']);
    const seen = await postGraphQL(region.gateway.url, `query($id: ID!) { placement(id: $id) { booking { id } } }`, { id: placementId }, caseworker);
    bookingId = seen.data!.placement.booking.id;
    // The receiving housing manager reads the unit's address while she lives there: the read her extract must list.
    const read = await postGraphQL(
      region.gateway.url,
      `{ myMunicipality { housingUnits { id streetAddress } } }`,
      {},
      { ...(await region.bearer(Role.HOUSING_MANAGER, RECEIVING, RECEIVING_MANAGER)), 'x-purpose': 'Nyckelöverlämning' },
    );
    expect(read.errors).toBeUndefined();
  });
  // A scenario that failed half-way leaves no fault or frozen request to the next.
  afterEach(async () => {
    proxy.clearFaults();
    await proxy.thaw();
  });
  afterAll(async () => {
    await proxy?.close();
    await region?.destroy();
  });

  it('is complete with no fault, and lists the receiving manager’s read', async () => {
    const before = await lookUps();
    const { status, document } = await extract();
    expect(status).toBe(200);
    expectComplete(document);
    expect(await lookUps()).toBe(before + 1);
  });

  it.each(Object.keys(LOOKED_UP) as Fault[])(
    '%s on every attempt: says within a bounded time which municipality is missing, the receiving log holds the look-ups made, and the next extract is complete',
    async (fault) => {
      const before = await lookUps();
      // The gateway sends a look-up (a query) whose connection failed once more, never one that timed out: the fault meets every attempt.
      const attempts = fault.startsWith('kill') ? 2 : 1;
      for (let n = 0; n < attempts; n++) proxy.addFault(['addressReads', bookingId], fault);

      const { status, document, took } = await extract();
      expect(status).toBe(200);
      expect(took).toBeLessThan(SHARD_WAIT_MS + MARGIN_MS);
      expect(document.incomplete).toEqual([expect.stringContaining(`Municipality ${RECEIVING}`)]);
      expect(document.incomplete.join(' ')).not.toContain(HOME);
      // Everything the others hold is there: the region's placement, the home log with this extract's own production.
      expect(document.placementRequests.map((r) => r.placements?.map((p) => p.id))).toEqual([[placementId]]);
      expect(document.reads.filter((r) => r.municipalityCode === RECEIVING)).toEqual([]);
      expect(document.reads.at(-1)).toMatchObject({ municipalityCode: HOME, action: 'ACCESS_REQUEST' });

      // The receiving shard recorded the look-ups it made, no more: one per attempt it handled.
      expect(await lookUps()).toBe(before + LOOKED_UP[fault].before * attempts);
      await proxy.thaw();
      expect(await lookUps()).toBe(before + LOOKED_UP[fault].after * attempts);

      const again = await extract();
      expect(again.status).toBe(200);
      expectComplete(again.document);
    },
  );

  it('kill-before once: the gateway’s second attempt reaches the restarted shard, and the extract is complete at once', async () => {
    const before = await lookUps();
    proxy.addFault(['addressReads', bookingId], 'kill-before');
    const { document, took } = await extract();
    expect(took).toBeLessThan(SHARD_WAIT_MS + MARGIN_MS);
    expectComplete(document);
    expect(await lookUps()).toBe(before + 1);
  });

  it('leaves every audit chain of the two municipalities intact, each extract recorded once at home', async () => {
    for (const code of [HOME, RECEIVING]) {
      const verified = await postGraphQL(region.gateway.url, `{ auditChainVerification { intact } }`, {}, await region.bearer(Role.AUDITOR, code));
      expect([code, verified.data?.auditChainVerification]).toEqual([code, { intact: true }]);
    }
    // One with no fault, two for each of the four faults (the faulted one and the next), one after a single kill.
    const produced = await queryRows<{ n: string }>(
      region.shards.get(HOME)!.database.url,
      `select count(*) as n from audit_log where action = 'ACCESS_REQUEST' and subject_id = $1`,
      [participantId],
    );
    expect(Number(produced[0]!.n)).toBe(1 + 2 * 4 + 1);
  });
});
