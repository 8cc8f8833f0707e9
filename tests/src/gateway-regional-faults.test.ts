import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { startFaultyProxy, type FaultyProxy } from './support/faulty-proxy';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer, overBookedDays, type Parties } from './support/placement-journey';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

/** How long the gateway waits for the regional subgraph here: short, so a frozen one costs the test little. */
const REGIONAL_WAIT_MS = 2_000;
/** What an answer may take beyond that wait on a busy machine. */
const MARGIN_MS = 3_000;
const parties: Parties = { sending: '0126', receiving: '0138' };
const PLACEMENTS = `{ placements { id status } }`;

type Answer = Awaited<ReturnType<typeof postGraphQL>>;

/**
 * The gateway's calls to the regional subgraph (placements, matching, the region's capacity
 * overview, statistics) when the regional subgraph is stopped, frozen or killed. They had no time
 * limit: a frozen regional subgraph held the caller (and the web app's person) until the web
 * server gave up, and a cut connection came out as a masked INTERNAL_SERVER_ERROR. Each case must
 * end within the gateway's wait with REGIONAL_SERVICE_UNAVAILABLE, saying truthfully whether what
 * was sent may have been carried out; a change repeated with its idempotency key is made once.
 */
describe('The gateway when the regional subgraph is stopped, frozen or killed', () => {
  let region: TestRegion;
  let proxy: FaultyProxy;

  beforeAll(async () => {
    proxy = await startFaultyProxy('never');
    region = await startTestRegion({ gatewayRegionalUrl: proxy.url, gatewayRegionalTimeoutMs: REGIONAL_WAIT_MS });
    proxy.setTarget(region.regional.url);
  });
  afterEach(async () => {
    proxy.clearFaults();
    await proxy.thaw();
    await proxy.listenAgain().catch(() => undefined);
  });
  afterAll(async () => {
    await region?.destroy();
    await proxy?.close();
  });

  async function timed(send: () => Promise<Answer>): Promise<{ answer: Answer; ms: number }> {
    const started = performance.now();
    const answer = await send();
    return { answer, ms: performance.now() - started };
  }
  const placements = async () => postGraphQL(region.gateway.url, PLACEMENTS, {}, await bearer(Role.COORDINATOR));
  const unavailable = (answer: Answer) => answer.errors?.find((e) => e.extensions?.code === 'REGIONAL_SERVICE_UNAVAILABLE');

  it('answers as usual through the proxy (the setting under test)', async () => {
    const answer = await placements();
    expect(answer.errors).toBeUndefined();
    expect(Array.isArray(answer.data!.placements)).toBe(true);
  });

  it('stopped: says at once that the regional service could not be reached and nothing was sent', async () => {
    await proxy.stopListening();
    const { answer, ms } = await timed(placements);
    const error = unavailable(answer);
    expect(error?.message).toMatch(/could not be reached.*nothing was sent/i);
    expect(error?.extensions).toMatchObject({ requestMayHaveTakenEffect: false });
    expect(ms).toBeLessThan(MARGIN_MS);
  });

  it('frozen with the request in hand: gives up after its wait and says a change may still have been made', async () => {
    proxy.addFault('placements', 'freeze-during');
    const { answer, ms } = await timed(placements);
    const error = unavailable(answer);
    expect(error?.message).toMatch(/did not answer within 2 s/);
    expect(error?.extensions).toMatchObject({ requestMayHaveTakenEffect: true });
    expect(ms).toBeGreaterThanOrEqual(REGIONAL_WAIT_MS - 50);
    expect(ms).toBeLessThan(REGIONAL_WAIT_MS + MARGIN_MS);
  });

  it('killed before it read the request: the connection cut is not masked as an internal error', async () => {
    proxy.addFault('placements', 'kill-before');
    const answer = await placements();
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['REGIONAL_SERVICE_UNAVAILABLE']);
    expect(unavailable(answer)?.extensions).toMatchObject({ requestMayHaveTakenEffect: true });
  });

  it.each(['kill-after', 'freeze-after'] as const)(
    '%s an offer was made: the coordinator is told it may have been made, and repeating it with its key makes it once',
    async (fault) => {
      const { requestId } = await openRequest(region.gateway.url, parties.sending);
      const unitId = await freshUnit(region.gateway.url, parties.receiving, 1);
      const key = randomUUID();
      proxy.addFault('offerPlacement', fault);
      const { answer, ms } = await timed(() => offer(region, parties, requestId, unitId, key));
      const error = unavailable(answer);
      expect(error?.extensions).toMatchObject({ requestMayHaveTakenEffect: true });
      expect(error?.message).toMatch(/may still have been made/);
      expect(ms).toBeLessThan(REGIONAL_WAIT_MS + MARGIN_MS);
      await proxy.thaw();

      const repeated = await offer(region, parties, requestId, unitId, key);
      expect(repeated.errors).toBeUndefined();
      const made = await queryRows<{ id: string }>(region.regional.database.url, `select id from placement where request_id = $1`, [requestId]);
      expect(made.map((p) => p.id)).toEqual([repeated.data!.offerPlacement.id]);
      expect(await overBookedDays(region.shards.get(parties.receiving)!.database.url)).toBe(0);
    },
  );
});
