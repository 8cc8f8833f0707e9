import { randomUUID } from 'node:crypto';
import type { FaultyProxy } from './support/faulty-proxy';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer, overBookedDays, partyStates, reconcile, startRegionBehindProxies, takeStep, takeSteps, type Parties } from './support/placement-journey';
import { queryRows as rows } from './support/sql';
import type { TestRegion } from './support/test-region';

const parties: Parties = { sending: '0126', receiving: '0138' };

/**
 * Issue #10, findings 1–4: what a coordinator and a housing manager met when one municipality's
 * service froze for a few seconds (as a busy server or a network blip does), and an early end.
 * The region's calls to both shards go through proxies that freeze or cut a call on cue.
 */
describe('Placements interrupted, and ended early', () => {
  let setup: Awaited<ReturnType<typeof startRegionBehindProxies>>;
  let region: TestRegion;
  let proxies: Record<keyof Parties, FaultyProxy>;
  const receivingDb = () => region.shards.get(parties.receiving)!.database.url;

  beforeAll(async () => {
    setup = await startRegionBehindProxies(parties, 1_500);
    ({ region, proxies } = setup);
  });
  afterEach(async () => {
    for (const proxy of Object.values(proxies)) {
      proxy.clearFaults();
      await proxy.thaw();
    }
  });
  afterAll(async () => {
    await setup?.close();
  });

  /** An offered placement of a fresh unit with room for one; its ids. */
  async function offered(earliestStart: string) {
    const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
    const request = await openRequest(region.gateway.url, parties.sending, { earliestStart, days: 10 });
    const result = await offer(region, parties, request.requestId, unitId);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return { id: result.data!.offerPlacement.id as string, requestId: request.requestId, unitId };
  }

  it('keeps the places of a placement ended early taken until its day of moving out, and the placement says that day (finding 1)', async () => {
    const unitId = await freshUnit(region.gateway.url, parties.receiving, 3);
    const family = await openRequest(region.gateway.url, parties.sending, { children: 1, earliestStart: '2027-06-01', days: 60 });
    const id = (await offer(region, parties, family.requestId, unitId)).data!.offerPlacement.id;
    await takeSteps(region, parties, id, ['accept', 'moveIn']);

    const ended = await takeStep(region, parties, 'end', id, { endsOn: '2027-06-20' });
    expect(ended.errors).toBeUndefined();
    expect(ended.data!.endPlacement.status).toBe('ENDED');

    // Two of the three places stay taken until 2027-06-20: of three one-person offers for days before it, one fits.
    const singles = [];
    for (let i = 0; i < 3; i++) {
      const single = await openRequest(region.gateway.url, parties.sending, { earliestStart: '2027-06-05', days: 10 });
      singles.push(await offer(region, parties, single.requestId, unitId));
    }
    expect(singles.map((r) => r.data?.offerPlacement?.status ?? r.errors?.[0]?.extensions?.code)).toEqual(['OFFERED', 'NO_FREE_PLACES', 'NO_FREE_PLACES']);
    expect(await overBookedDays(receivingDb())).toBe(0);

    // From the day of moving out, the family's places are free again: a household of three fits from 2027-06-20.
    const larger = await openRequest(region.gateway.url, parties.sending, { children: 2, earliestStart: '2027-06-20', days: 10 });
    expect((await offer(region, parties, larger.requestId, unitId)).data?.offerPlacement?.status).toBe('OFFERED');
    expect(ended.data!.endPlacement.endsOn).toBe('2027-06-20');
    const states = await partyStates(region, parties, id, family.requestId);
    expect(states.placement!.ends_on).toBe('2027-06-20');
    expect(states.bookings).toEqual([{ status: 'ENDED', ends_on: '2027-06-20', live: true }]);
  });

  it('tells the truth when the receiving municipality freezes during an accept, and the reconciler finishes it (finding 2)', async () => {
    const { id, requestId } = await offered('2027-07-01');
    proxies.receiving.addFault(`${id}:confirm`, 'freeze-during');

    const accepted = await takeStep(region, parties, 'accept', id);
    expect(accepted.errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      municipalityCode: parties.receiving,
      pendingStep: 'ACCEPTED',
      placementId: id,
    });
    expect(accepted.errors![0]!.message).toMatch(/may already be made there; it is finished automatically when the municipality answers again/);
    expect(accepted.errors![0]!.message).not.toMatch(/Nothing was left half done/);

    await proxies.receiving.thaw(); // the shard resumes and confirms, long after the caller gave up
    expect(await partyStates(region, parties, id, requestId)).toMatchObject({
      placement: { status: 'OFFERED', pending_step: expect.objectContaining({ to: 'ACCEPTED' }) },
      request: { status: 'OFFERED' },
      bookings: [{ status: 'CONFIRMED' }],
    });

    const report = await reconcile(region);
    expect(report.stepsFinished).toBeGreaterThanOrEqual(1);
    expect(await partyStates(region, parties, id, requestId)).toMatchObject({
      placement: { status: 'ACCEPTED', pending_step: null },
      request: { status: 'ACCEPTED' },
      bookings: [{ status: 'CONFIRMED' }],
    });
    // The history names the housing manager who accepted, not the reconciler.
    const [event] = await rows<{ actor_sub: string }>(
      region.regional.database.url,
      `select actor_sub from placement_event where placement_id = $1 and to_status = 'ACCEPTED'`,
      [id],
    );
    expect(event!.actor_sub).not.toBe('reconciler');
  });

  it('finishes a pending accept when the housing manager retries it with the same key', async () => {
    const { id, requestId } = await offered('2027-07-15');
    const key = randomUUID();
    proxies.receiving.addFault(`${id}:confirm`, 'freeze-after');
    expect((await takeStep(region, parties, 'accept', id, { key })).errors?.[0]?.extensions?.pendingStep).toBe('ACCEPTED');
    // Another step meanwhile is refused: one step at a time.
    const decline = await takeStep(region, parties, 'decline', id);
    expect(decline.errors?.[0]?.extensions).toMatchObject({ code: 'STEP_IN_PROGRESS', pendingStep: 'ACCEPTED' });

    const retried = await takeStep(region, parties, 'accept', id, { key });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.acceptPlacement.status).toBe('ACCEPTED');
    expect(await partyStates(region, parties, id, requestId)).toMatchObject({
      placement: { status: 'ACCEPTED', pending_step: null },
      request: { status: 'ACCEPTED' },
      bookings: [{ status: 'CONFIRMED' }],
    });
  });

  it('never undoes an accept made at the receiving municipality when the sending one froze and the hold time passed (finding 3)', async () => {
    const { id, requestId } = await offered('2027-08-01');
    proxies.sending.addFault(`${id}:accepted`, 'freeze-during');
    expect((await takeStep(region, parties, 'accept', id)).errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      municipalityCode: parties.sending,
      pendingStep: 'ACCEPTED',
    });
    await proxies.sending.thaw();
    // The hold's time passes before anyone reconciles.
    await rows(region.regional.database.url, `update placement set hold_expires_at = now() - interval '1 minute' where id = $1`, [id]);

    await reconcile(region);
    expect(await partyStates(region, parties, id, requestId)).toMatchObject({
      placement: { status: 'ACCEPTED', pending_step: null },
      request: { status: 'ACCEPTED' },
      bookings: [{ status: 'CONFIRMED' }],
    });
  });

  it('finishes rather than expires an offer whose booking the receiving municipality confirmed, even with no step on record', async () => {
    const { id, requestId } = await offered('2027-08-15');
    proxies.sending.addFault(`${id}:accepted`, 'kill-before');
    await takeStep(region, parties, 'accept', id);
    // As if the region had lost its record of the step (e.g. restored from a backup taken before it).
    await rows(region.regional.database.url, `update placement set pending_step = null, hold_expires_at = now() - interval '1 minute' where id = $1`, [id]);
    await reconcile(region);
    expect(await partyStates(region, parties, id, requestId)).toMatchObject({
      placement: { status: 'ACCEPTED' },
      request: { status: 'ACCEPTED' },
      bookings: [{ status: 'CONFIRMED' }],
    });
  });

  it('answers MUNICIPALITY_UNAVAILABLE, not an internal error, to an offer into a frozen municipality (finding 4)', async () => {
    const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
    const request = await openRequest(region.gateway.url, parties.sending, { earliestStart: '2027-09-01', days: 10 });
    proxies.receiving.addFault(unitId, 'freeze-during');
    const result = await offer(region, parties, request.requestId, unitId);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: parties.receiving });
    expect(result.errors![0]!.message).toMatch(/Municipality 0138 is unavailable/);
  });

  it('refuses an idempotency key longer than 200 characters, naming it, before anything is written', async () => {
    const { id } = await offered('2027-09-15');
    const [before] = await rows<{ n: string }>(region.regional.database.url, `select count(*) as n from placement_event`);
    const result = await takeStep(region, parties, 'decline', id, { key: 'k'.repeat(201) });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'idempotencyKey', message: 'must be 1–200 characters' }],
    });
    const [after] = await rows<{ n: string }>(region.regional.database.url, `select count(*) as n from placement_event`);
    expect(after!.n).toBe(before!.n);
  });
});
