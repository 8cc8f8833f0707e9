import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { startFaultyProxy } from './support/faulty-proxy';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { queryRows as rows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const RECEIVING = '0138';
const OFFER = `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { id status } }`;
const RECONCILE = `mutation { reconcilePlacements { expiredOffers failedPendingOffers orphanHoldsReleased requestsReopened acceptancesCompleted unreachable } }`;

/** No day of any unit in the database has more places held or confirmed than it has. */
async function overBookedDays(url: string): Promise<number> {
  const [row] = await rows<{ n: string }>(
    url,
    `
    select count(*) as n from (
      select u.id, d.day
        from housing_unit u
        join booking b on b.unit_id = u.id and (b.status = 'CONFIRMED' or (b.status = 'HELD' and (b.expires_at is null or b.expires_at > now())))
        join lateral generate_series(b.starts_on, b.ends_on - 1, interval '1 day') as d(day) on true
       group by u.id, u.places, d.day
      having sum(b.places) > u.places) as over`,
  );
  return Number(row!.n);
}

describe('Placements under concurrency and faults', () => {
  let region: TestRegion;
  let proxy: Awaited<ReturnType<typeof startFaultyProxy>>;

  beforeAll(async () => {
    // The regional subgraph reaches the receiving shard through a proxy that can fail on cue.
    proxy = await startFaultyProxy('holdPlaces');
    // A generous timeout: 50 holds queue on the unit's row lock, and under load the last waits a while.
    region = await startTestRegion({ seed: true, shardTimeoutMs: 20_000, regionalUrlOverrides: { [RECEIVING]: proxy.url } });
    proxy.setTarget(region.shards.get(RECEIVING)!.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await region.destroy();
  });

  it('gives the last free place to exactly one of 50 parallel offers; the others get NO_FREE_PLACES', async () => {
    const unitId = await freshUnit(region.gateway.url, RECEIVING, 1);
    const senders = ['0126', '0127', '0128', '0136', '0140', '0181', '0192'];
    const requests = await Promise.all(
      Array.from({ length: 50 }, (_, i) => openRequest(region.gateway.url, senders[i % senders.length]!, { earliestStart: '2027-03-01', days: 20 })),
    );
    const coordinator = await bearer(Role.COORDINATOR);
    const results = await Promise.all(
      requests.map((r, i) =>
        postGraphQL(
          region.gateway.url,
          OFFER,
          { input: { requestMunicipality: senders[i % senders.length], requestId: r.requestId, unitMunicipality: RECEIVING, unitId }, key: randomUUID() },
          coordinator,
        ),
      ),
    );
    const offered = results.filter((r) => r.data?.offerPlacement?.status === 'OFFERED');
    const refused = results.filter((r) => r.errors?.[0]?.extensions?.code === 'NO_FREE_PLACES');
    expect(offered).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused[0]!.errors![0]!.message).toMatch(/free/);
    expect(await overBookedDays(region.shards.get(RECEIVING)!.database.url)).toBe(0);
    // The 49 losing requests are open again; only the winner is offered.
    const counts = await Promise.all(
      senders.map((code) =>
        rows<{ status: string; n: string }>(
          region.shards.get(code)!.database.url,
          `select status, count(*) as n from placement_request where earliest_start = '2027-03-01' group by status`,
        ),
      ),
    );
    const byStatus = counts.flat().reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + Number(r.n) }), {});
    expect(byStatus).toEqual({ OPEN: 49, OFFERED: 1 });
  });

  it('recovers from a receiving shard that dies right after holding: nothing half done, no orphan hold, no double booking', async () => {
    const unitId = await freshUnit(region.gateway.url, RECEIVING, 1);
    const request = await openRequest(region.gateway.url, '0126', { earliestStart: '2027-04-01', days: 10 });
    const coordinator = await bearer(Role.COORDINATOR);
    const input = { requestMunicipality: '0126', requestId: request.requestId, unitMunicipality: RECEIVING, unitId };

    proxy.setMode('crash-after-commit');
    const failed = await postGraphQL(region.gateway.url, OFFER, { input, key: randomUUID() }, coordinator);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: RECEIVING });
    const shardDb = region.shards.get(RECEIVING)!.database.url;
    // The shard did commit the hold: an orphan, as after a crash.
    expect(await rows(shardDb, `select id from booking where unit_id = $1 and status = 'HELD'`, [unitId])).toHaveLength(1);

    proxy.setMode('down');
    const whileDown = (await postGraphQL(region.gateway.url, RECONCILE, {}, coordinator)).data!.reconcilePlacements;
    expect(whileDown.unreachable).toEqual([RECEIVING]);

    proxy.setMode('pass'); // the shard is back
    const report = (await postGraphQL(region.gateway.url, RECONCILE, {}, coordinator)).data!.reconcilePlacements;
    expect(report.orphanHoldsReleased).toBe(1);
    expect(await rows(shardDb, `select id from booking where unit_id = $1 and status = 'HELD'`, [unitId])).toHaveLength(0);
    const [placement] = await rows<{ status: string }>(region.regional.database.url, `select status from placement where request_id = $1`, [request.requestId]);
    expect(placement!.status).toBe('FAILED');
    const [req] = await rows<{ status: string }>(region.shards.get('0126')!.database.url, `select status from placement_request where id = $1`, [
      request.requestId,
    ]);
    expect(req!.status).toBe('OPEN');

    // A second run finds nothing more to repair, and a fresh offer gets the place.
    const again = (await postGraphQL(region.gateway.url, RECONCILE, {}, coordinator)).data!.reconcilePlacements;
    expect(again).toMatchObject({ orphanHoldsReleased: 0, requestsReopened: 0, failedPendingOffers: 0 });
    const retry = await postGraphQL(region.gateway.url, OFFER, { input, key: randomUUID() }, coordinator);
    expect(retry.data?.offerPlacement.status).toBe('OFFERED');
    expect(await overBookedDays(shardDb)).toBe(0);
  });

  it('releases the hold and reopens the request when an offer lapses unaccepted', async () => {
    const unitId = await freshUnit(region.gateway.url, RECEIVING, 1);
    const request = await openRequest(region.gateway.url, '0127', { earliestStart: '2027-05-01', days: 10 });
    const coordinator = await bearer(Role.COORDINATOR);
    const offered = await postGraphQL(
      region.gateway.url,
      OFFER,
      { input: { requestMunicipality: '0127', requestId: request.requestId, unitMunicipality: RECEIVING, unitId }, key: randomUUID() },
      coordinator,
    );
    const id = offered.data!.offerPlacement.id;
    // Let the hold lapse (as if PLACEMENT_HOLD_MINUTES had passed).
    await rows(region.regional.database.url, `update placement set hold_expires_at = now() - interval '1 minute' where id = $1`, [id]);
    await rows(region.shards.get(RECEIVING)!.database.url, `update booking set expires_at = now() - interval '1 minute' where placement_id = $1`, [id]);
    const report = (await postGraphQL(region.gateway.url, RECONCILE, {}, coordinator)).data!.reconcilePlacements;
    expect(report.expiredOffers).toBe(1);
    const [placement] = await rows<{ status: string }>(region.regional.database.url, `select status from placement where id = $1`, [id]);
    expect(placement!.status).toBe('EXPIRED');
    const [req] = await rows<{ status: string }>(region.shards.get('0127')!.database.url, `select status from placement_request where id = $1`, [
      request.requestId,
    ]);
    expect(req!.status).toBe('OPEN');
  });
});
