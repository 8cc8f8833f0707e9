import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { Role } from '@sodertorn/testing';
import type { Page } from 'playwright-core';
import { startFaultyProxy, type Fault, type FaultyProxy } from '../support/faulty-proxy';
import { apiOperation, municipalUser, newPage, signIn, startWebRegion, webOrigin, WEB_USERS, type WebRegion } from '../support/web-browser';

/**
 * The web server's step to the gateway under faults, in Chromium: the gateway stopped (nothing
 * listens), frozen with a change in hand past the web server's wait, and killed after it committed
 * a change. Each time the person reads a truthful message in Swedish (nothing was sent, or the
 * change may have been made and should be looked up), the web server answers 503 in the API's
 * error shape, and once the gateway is back the page converges: a change made once, never twice.
 */
let w: WebRegion;
let origin: string;
let proxy: FaultyProxy;
/** The web server's wait for the gateway here: short enough for a test, long enough for a busy machine's normal answers. */
const GATEWAY_TIMEOUT_MS = 12_000;

const UNREACHABLE = 'Regionens tjänst går inte att nå just nu. Inget skickades. Försök igen om en stund.';
const NO_ANSWER = 'Regionens tjänst svarade inte i tid. En ändring du skickade kan ändå ha genomförts: ladda om sidan och kontrollera innan du gör om den.';

beforeAll(async () => {
  proxy = await startFaultyProxy('never matched');
  w = await startWebRegion({ gatewayProxy: proxy, gatewayTimeoutMs: GATEWAY_TIMEOUT_MS });
  origin = webOrigin(w.web);
}, 240_000);
afterAll(async () => {
  await proxy?.thaw();
  await proxy?.close();
  await w?.destroy();
});

interface ApiOwnUnit {
  id: string;
  district: string;
}

/** Huddinge's units as the gateway itself answers (not through the web server or the proxy). */
async function huddingeUnits(): Promise<ApiOwnUnit[]> {
  const today = todayInStockholm();
  const answer = await apiOperation<{ myMunicipality: { housingUnits: ApiOwnUnit[] } }>(
    w,
    'OwnHousingUnits',
    { from: today, to: addDays(today, 28) },
    await w.region.bearer(Role.HOUSING_MANAGER, '0126'),
  );
  return answer.data!.myMunicipality.housingUnits;
}

/** The web server's own answer to one /graphql call the page makes: its status and first error's extensions. */
function nextGraphqlAnswer(page: Page, operation: string): Promise<{ status: number; extensions: Record<string, unknown> }> {
  return page
    .waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(operation), { timeout: 60_000 })
    .then(async (r) => ({
      status: r.status(),
      extensions: ((await r.json()) as { errors?: { extensions: Record<string, unknown> }[] }).errors?.[0]?.extensions ?? {},
    }));
}

async function openUnits(page: Page): Promise<void> {
  await page.goto(`${origin}/units`);
  await page.getByRole('heading', { name: 'Boenden i Huddinge' }).waitFor();
}

/** Fills the register form for a supported-housing unit in `district` and sends it. */
async function register(page: Page, district: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Registrera ett boende' });
  await form.getByRole('button', { name: /Boendeform/ }).click();
  await page.getByRole('option', { name: 'Stödboende' }).click();
  await form.getByRole('textbox', { name: 'Platser' }).fill('2');
  await form.getByRole('textbox', { name: 'Kommundel' }).fill(district);
  await form.getByRole('textbox', { name: 'Gatuadress' }).fill('Felvägen 3');
  await form.getByRole('button', { name: 'Registrera', exact: true }).click();
}

test('the gateway stopped: pages and downloads say nothing was sent, and come back when it does', async () => {
  const manager = await newPage(w.browser);
  await signIn(manager, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
  const analyst = await newPage(w.browser);
  await signIn(analyst, origin, WEB_USERS.analyst);

  await proxy.stopListening();
  const refused = nextGraphqlAnswer(manager, 'OwnHousingUnits');
  await manager.goto(`${origin}/units`);
  expect(await refused).toEqual({ status: 503, extensions: { code: 'REGION_UNAVAILABLE', requestMayHaveTakenEffect: false } });
  await manager.getByRole('alert').filter({ hasText: UNREACHABLE }).first().waitFor();
  const download = await analyst.evaluate(async () => {
    const answer = await fetch(`/downloads/statistics/intakes_by_referral_source.csv?year=2026&locale=sv`);
    return { status: answer.status, body: await answer.json() };
  });
  expect(download).toEqual({
    status: 503,
    body: {
      errors: [
        {
          message: 'The region’s API could not be reached; nothing was sent. Try again in a minute.',
          extensions: { code: 'REGION_UNAVAILABLE', requestMayHaveTakenEffect: false },
        },
      ],
    },
  });

  await proxy.listenAgain();
  await openUnits(manager);
  expect(await manager.locator('li.unit-card').count()).toBe((await huddingeUnits()).length);
  expect(await manager.getByText(UNREACHABLE).count()).toBe(0);
  await manager.context().close();
  await analyst.context().close();
}, 240_000);

/**
 * A housing manager registers a unit in `district` while the gateway's side suffers `fault`: the
 * web server answers 503 saying the change may have been made, and the form says so in Swedish.
 */
async function registerUnder(fault: Fault, district: string): Promise<{ page: Page; before: number }> {
  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
  await openUnits(page);
  const before = (await huddingeUnits()).length;
  proxy.addFault('RegisterHousingUnit', fault);
  const answer = nextGraphqlAnswer(page, 'RegisterHousingUnit');
  await register(page, district);
  expect(await answer).toEqual({ status: 503, extensions: { code: 'REGION_UNAVAILABLE', requestMayHaveTakenEffect: true } });
  await page.getByRole('form', { name: 'Registrera ett boende' }).getByRole('alert').filter({ hasText: NO_ANSWER }).waitFor();
  return { page, before };
}

/** The unit in `district` was made exactly once, and the page shows it once after a reload. */
async function expectMadeOnce(page: Page, before: number, district: string): Promise<void> {
  const after = await huddingeUnits();
  expect([after.length, after.filter((u) => u.district === district).length]).toEqual([before + 1, 1]);
  await openUnits(page);
  expect(await page.locator('li.unit-card').filter({ hasText: district }).count()).toBe(1);
  await page.context().close();
}

test('the gateway killed after it registered a unit: the person is told it may have been made, and a reload shows it once', async () => {
  const district = 'Avbrottsgården';
  const { page, before } = await registerUnder('kill-after', district);
  // It was made (the gateway committed before the connection died).
  await expectMadeOnce(page, before, district);
}, 240_000);

test('the gateway frozen with a registration past the web server’s wait: the person is told it may have been made, and after the thaw it is there once', async () => {
  const district = 'Frusna gården';
  const { page, before } = await registerUnder('freeze-during', district);
  // Frozen: nothing made yet.
  expect(proxy.frozenCount()).toBe(1);
  expect((await huddingeUnits()).filter((u) => u.district === district)).toEqual([]);
  // The gateway resumes and carries the request out late, once.
  await proxy.thaw();
  await expectMadeOnce(page, before, district);
}, 240_000);
