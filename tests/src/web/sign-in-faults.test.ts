import { Role } from '@sodertorn/testing';
import type { Page } from 'playwright-core';
import { municipalUser, newPage, signIn, startWebRegion, webOrigin, type WebRegion } from '../support/web-browser';

/**
 * The web server's steps at the identity providers under faults, in Chromium: signing in, and
 * renewing a session's access token. The providers' process (all of the region's providers) is
 * frozen (SIGSTOP), stopped, or killed (SIGKILL), then resumed or started again on the same ports
 * with the same keys. Meanwhile the person reads the truth in Swedish (the sign-in service does
 * not answer; they are not signed out), nobody is signed in by half, and once the provider is back
 * the same session goes on without signing in again (or, where the development provider lost its
 * grants with its process, ends with the refusal and the person signs in again).
 */
let w: WebRegion;
let origin: string;
/** How far the web server's clock runs ahead of the real one (the providers and the gateway keep real time). */
let clockAhead = 0;
/** The web server's wait for a provider here. */
const PROVIDER_TIMEOUT_SECONDS = 2;

const AWAY_NOTICE = 'Inloggningstjänsten svarar inte just nu, så din inloggning kan inte förnyas. Du är inte utloggad: ladda om sidan om en stund.';

beforeAll(async () => {
  w = await startWebRegion({ now: () => Date.now() + clockAhead, providerTimeoutSeconds: PROVIDER_TIMEOUT_SECONDS });
  origin = webOrigin(w.web);
}, 240_000);
afterAll(async () => {
  resume();
  await w?.destroy();
});

/** SIGCONT to the providers' process, if it is there and frozen. */
function resume(): void {
  try {
    if (w?.region.providers) process.kill(w.region.providers.pid, 'SIGCONT');
  } catch {
    // not running
  }
}

/** Each fault, and how the provider comes back from it. */
const FAULTS: [string, () => Promise<void>, () => Promise<void>][] = [
  ['frozen', async () => void process.kill(w.region.providers!.pid, 'SIGSTOP'), async () => resume()],
  ['stopped', async () => w.region.providers!.stop(), async () => void (await w.region.restartProviders!())],
  [
    'killed',
    async () => {
      const pid = w.region.providers!.pid;
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async () => void (await w.region.restartProviders!()),
  ],
];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sessionStatus = (page: Page) => page.evaluate<number>(`fetch('/auth/session').then((r) => r.status)`);

test.each(FAULTS)(
  'provider %s when the session’s token must be renewed: the person is told and not signed out meanwhile; back, the session goes on (frozen) or ends on the refusal of a grant the restarted provider lost',
  async (how, fault, recover) => {
    const page = await newPage(w.browser);
    await signIn(page, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
    await page.getByRole('link', { name: 'Boenden' }).click();
    await page.getByRole('heading', { name: 'Boenden i Huddinge' }).waitFor();
    const cookie = (await page.context().cookies(origin)).find((c) => c.name === 'session')!.value;

    await fault();
    try {
      // Two hours on, the one-hour access token has expired for the web server; the provider cannot renew it.
      clockAhead = 2 * 3600_000;
      const answer = await page.evaluate(async () => {
        const r = await fetch('/auth/session');
        return { status: r.status, code: ((await r.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code };
      });
      expect(answer).toEqual({ status: 503, code: 'IDENTITY_PROVIDER_UNAVAILABLE' });
      await page.reload();
      await page.getByRole('status').filter({ hasText: AWAY_NOTICE }).waitFor();
      // Not signed out: the session and its cookie are kept for when the provider answers again.
      expect((await page.context().cookies(origin)).find((c) => c.name === 'session')?.value).toBe(cookie);
    } finally {
      await recover();
    }

    if (how === 'frozen') {
      // Back: the same session renews and the page goes on, without signing in again.
      expect(await sessionStatus(page)).toBe(200);
      await page.goto(`${origin}/units`);
      await page.getByRole('heading', { name: 'Boenden i Huddinge' }).waitFor();
      expect(await page.getByRole('button', { name: 'Logga ut' }).count()).toBe(1);
      expect((await page.context().cookies(origin)).find((c) => c.name === 'session')?.value).toBe(cookie);
    } else {
      // The development provider keeps its grants in memory: started again, it no longer knows the refresh token and
      // refuses it (invalid_grant), so the session ends and the person signs in again (a deployment's provider keeps them).
      expect(await sessionStatus(page)).toBe(401);
      clockAhead = 0;
      await signIn(page, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
      expect(await sessionStatus(page)).toBe(200);
    }
    clockAhead = 0;
    await page.context().close();
  },
  120_000,
);

test.each(FAULTS.map(([how, fault, recover], i) => [how, fault, recover, ['0127', '0128', '0138'][i]!] as const))(
  'provider %s when a person first signs in at their organisation: a page says it does not answer, nobody is signed in, and the next try works',
  async (_how, fault, recover, code) => {
    // The web server has not asked this organisation's provider anything yet (each case takes another municipality).
    const user = municipalUser(Role.CASEWORKER, code);
    const page = await newPage(w.browser);
    await page.goto(`${origin}/capacity`);
    await fault();
    try {
      await page.getByRole('button', { name: /Organisation/ }).click();
      await page.getByRole('option', { name: user.organisation, exact: true }).click();
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/auth/sign-in')),
        page.getByRole('button', { name: 'Logga in hos organisationen', exact: true }).click(),
      ]);
      expect(answer.status()).toBe(503);
      await page.getByText(`Inloggningstjänsten hos ${user.organisation} svarar inte just nu. Ingen har loggats in.`).waitFor();
      expect((await page.context().cookies(origin)).filter((c) => c.name === 'session')).toEqual([]);
    } finally {
      await recover();
    }
    await signIn(page, origin, user);
    expect(await sessionStatus(page)).toBe(200);
    await page.context().close();
  },
  120_000,
);
