import type { NotificationSettings } from '@sodertorn/regional';
import { verifyWebhook } from '@sodertorn/service-kit';
import { startFaultyProxy, type FaultyProxy } from './support/faulty-proxy';
import { eventually, webhookReceiver, type ReceivedWebhook } from './support/notification-receivers';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer, reconcile, takeStep, type Parties } from './support/placement-journey';
import { startTestRegion, type TestRegion } from './support/test-region';

const STOPPED = '0128';
const parties: Parties = { sending: '0126', receiving: STOPPED };
const SECRET = 'region-coordinators-webhook-secret-0123456789';
/** Longer than a reconcile run takes on a busy machine, or the short outage below would count as long. */
const UNAVAILABLE_AFTER_MS = 5_000;
const bodyOf = (hook: ReceivedWebhook) =>
  JSON.parse(hook.body) as { id: string; type: string; data: Record<string, unknown> & { names: Record<string, string> } };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Notifications: a municipality that stops answering, and comes back, is told to the coordinators once each; repairs too', () => {
  let region: TestRegion;
  let proxy: FaultyProxy;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  const coordinatorHooks = (type: string) => hooks.received.filter((h) => h.path === '/hooks/region' && bodyOf(h).type === type);

  beforeAll(async () => {
    hooks = await webhookReceiver();
    await hooks.up();
    // The regional subgraph reaches Salem through a proxy that can play dead, as a stopped deployment does.
    proxy = await startFaultyProxy('never-matches');
    const notifications: NotificationSettings = {
      webAppUrl: 'https://placering.sodertorn.test',
      smtp: null,
      channels: [
        {
          id: 'region-coordinators-chat',
          role: 'COORDINATOR',
          municipality: null,
          webhook: { url: `http://127.0.0.1:${hooks.port}/hooks/region`, secret: SECRET },
        },
        {
          id: '0126-caseworker-case-system',
          role: 'CASEWORKER',
          municipality: '0126',
          webhook: { url: `http://127.0.0.1:${hooks.port}/hooks/0126`, secret: SECRET },
        },
      ],
      intervalMs: 200,
      holdWarningMs: 60_000,
      endingSoonDays: 7,
      unavailableAfterMs: UNAVAILABLE_AFTER_MS,
      maxAttempts: 10,
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      sendTimeoutMs: 2_000,
    };
    region = await startTestRegion({ seed: false, regionalUrlOverrides: { [STOPPED]: proxy.url }, reconcileGraceMs: 0, notifications });
    proxy.setTarget(region.shards.get(STOPPED)!.url);
  });
  afterAll(async () => {
    await region?.destroy();
    await proxy?.close();
    await hooks?.down();
  });

  it('tells nobody of an outage shorter than NOTIFY_UNAVAILABLE_AFTER_MINUTES', async () => {
    proxy.setMode('down');
    expect((await reconcile(region)).unreachable).toEqual([STOPPED]);
    proxy.setMode('pass');
    expect((await reconcile(region)).unreachable).toEqual([]);
    await pause(UNAVAILABLE_AFTER_MS + 1_000);
    expect(hooks.received.map((h) => bodyOf(h).type)).toEqual([]);
  });

  it('tells the coordinators once that a stopped municipality is unavailable, once that it is back, and of the repair that followed', async () => {
    const { requestId } = await openRequest(region.gateway.url, parties.sending, { earliestStart: '2027-03-01' });
    const offered = await offer(region, parties, requestId, await freshUnit(region.gateway.url, STOPPED));
    expect(offered.errors).toBeUndefined();
    const placementId = offered.data!.offerPlacement.id as string;

    proxy.setMode('down');
    const stoppedAt = Date.now();
    expect((await reconcile(region)).unreachable).toEqual([STOPPED]);
    // Salem's housing manager accepts meanwhile: the step is left pending, for the reconciler to finish.
    expect((await takeStep(region, parties, 'accept', placementId)).errors?.[0]?.extensions).toMatchObject({
      code: 'MUNICIPALITY_UNAVAILABLE',
      pendingStep: 'ACCEPTED',
    });
    const [unavailable] = await eventually(
      'the unavailable event',
      () => coordinatorHooks('municipality.unavailable').length > 0 && coordinatorHooks('municipality.unavailable'),
    );
    expect(unavailable!.receivedAt - stoppedAt).toBeGreaterThanOrEqual(UNAVAILABLE_AFTER_MS);
    expect(bodyOf(unavailable!).data).toMatchObject({ municipality: STOPPED, names: { [STOPPED]: 'Salem' } });
    expect(
      verifyWebhook({
        secret: SECRET,
        body: unavailable!.body,
        timestamp: unavailable!.headers['webhook-timestamp'] as string,
        signature: unavailable!.headers['webhook-signature'] as string,
      }),
    ).toEqual({ valid: true });
    // Still down at the next runs: nothing more.
    await reconcile(region);
    await reconcile(region);
    await pause(1_000);
    expect(coordinatorHooks('municipality.unavailable')).toHaveLength(1);
    expect(coordinatorHooks('municipality.available')).toHaveLength(0);

    proxy.setMode('pass');
    const back = await reconcile(region);
    expect(back).toMatchObject({ unreachable: [], stepsFinished: 1 });
    await reconcile(region);
    await eventually('the back event', () => coordinatorHooks('municipality.available').length > 0 && coordinatorHooks('reconcile.repaired').length > 0);
    await pause(1_000);
    expect(coordinatorHooks('municipality.unavailable')).toHaveLength(1);
    expect(coordinatorHooks('municipality.available')).toHaveLength(1);
    expect(bodyOf(coordinatorHooks('municipality.available')[0]!).data).toMatchObject({
      municipality: STOPPED,
      unreachableSince: bodyOf(unavailable!).data.unreachableSince,
    });
    const repaired = coordinatorHooks('reconcile.repaired');
    expect(repaired).toHaveLength(1);
    expect(bodyOf(repaired[0]!).data.repairs).toMatchObject({ stepsFinished: 1 });
    // The accept the reconciler finished reaches the sending caseworkers' case system, as any accept does.
    const accepted = hooks.received.filter((h) => h.path === '/hooks/0126' && bodyOf(h).type === 'placement.accepted');
    expect(accepted.map((h) => bodyOf(h).data.placementId)).toEqual([placementId]);
    // Each event once, under its own id, whatever the retries: the receiver's dedupe key.
    const ids = hooks.received.map((h) => h.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
