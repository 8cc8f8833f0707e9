import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { FORGET_PLACEMENT_REQUESTS } from '@sodertorn/municipality';
import { postGraphQL, Role } from '@sodertorn/testing';
import { WEB_CLIENT_ID } from '@sodertorn/identity-provider';
import { loadPersistedOperations, WEB_BUILD } from '@sodertorn/web';
import type { Page } from 'playwright-core';
import { municipalUser, newPage, screenshot, seriousViolations, signIn, startWebRegion, webOrigin, WEB_USERS, type WebRegion } from '../support/web-browser';

/**
 * The capacity board in Chromium against the real region: sign in, read and filter the region's
 * free places, open a unit's timeline, both languages through axe-core, sign out; the security
 * headers; and a municipality stopped shows the banner and the other seven.
 * Expected numbers come from the gateway's own answer to the registered operation, not from the page.
 */
let w: WebRegion;
let origin: string;
/** How far the web server's clock runs ahead of the real one (the providers and the gateway keep real time). */
let clockAhead = 0;
const registered = [...loadPersistedOperations(WEB_BUILD.persistedOperationsFile).values()];
const capacityOperation = registered.find((o) => o.name === 'CapacityBoard')!;

beforeAll(async () => {
  w = await startWebRegion({ now: () => Date.now() + clockAhead });
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface ApiUnit {
  kind: string;
  freePlaces: number;
  freePlaceRuns: unknown[];
}
/** The gateway's answer to one of the web app's registered operations, asked by id as the web server asks (default: as the coordinator). */
async function apiOperation<T>(
  name: string,
  variables: Record<string, unknown>,
  authorization?: Record<string, string>,
): Promise<{ data?: T; errors?: ApiError[] }> {
  const operation = registered.find((o) => o.name === name)!;
  const response = await fetch(w.region.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ?? (await w.region.bearer(Role.COORDINATOR))) },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } }),
  });
  return (await response.json()) as { data?: T; errors?: ApiError[] };
}
interface ApiError {
  message: string;
  extensions?: { code?: string; fields?: { field: string; message: string }[] };
}

/** What the API says for the page's default period, asked by id as a browser's session would. */
async function apiCapacity(
  filter: Record<string, unknown>,
  period = { from: todayInStockholm(), to: addDays(todayInStockholm(), 14) },
): Promise<{ code: string; housingUnits: ApiUnit[] | null }[]> {
  const today = todayInStockholm();
  const variables = {
    ...period,
    timelineFrom: today,
    timelineTo: addDays(today, 56),
    filter: { statuses: ['AVAILABLE'], ...filter },
  };
  const answer = await apiOperation<{ region: { municipalities: { code: string; housingUnits: ApiUnit[] | null }[] } }>('CapacityBoard', variables);
  return answer.data!.region.municipalities;
}

function summaryOf(municipalities: { housingUnits: ApiUnit[] | null }[], householdSize: number): string {
  const units = municipalities.map((m) => (m.housingUnits ?? []).filter((u) => u.freePlaces >= householdSize));
  const count = units.flat().length;
  const places = units.flat().reduce((s, u) => s + u.freePlaces, 0);
  const inMunicipalities = units.filter((u) => u.length > 0).length;
  return `${count} boenden med ${places} lediga platser i ${inMunicipalities} kommuner`;
}

/** Waits for the page's summary line to say this (the page loads on its own time), then checks it says exactly this. */
async function expectSummary(page: Page, expected: string): Promise<void> {
  await page.locator('.summary', { hasText: expected }).waitFor();
  expect((await page.locator('.summary').innerText()).split(' · ')[0]!.trim()).toBe(expected);
}

test('a coordinator signs in, filters the capacity board, opens a timeline, and signs out; axe finds nothing serious in either language', async () => {
  const page = await newPage(w.browser);
  await page.goto(`${origin}/capacity`);
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'sign-in');

  await signIn(page, origin, WEB_USERS.coordinator);
  await page.getByRole('heading', { name: 'Lediga platser i regionen' }).waitFor();
  await expectSummary(page, summaryOf(await apiCapacity({}), 1));
  expect(await page.title()).toBe('Lediga platser i regionen – Södertörns avhopparverksamhet');

  // Filter: protected housing for a household of two.
  await page.getByRole('button', { name: /Boendeform/ }).click();
  await page.getByRole('option', { name: 'Skyddat boende' }).click();
  await page.getByRole('textbox', { name: 'Hushållets storlek' }).fill('2');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  const protectedUnits = await apiCapacity({ kinds: ['PROTECTED'] });
  await expectSummary(page, summaryOf(protectedUnits, 2));
  const kinds = await page.locator('table.units tbody tr[data-unit-id] td:nth-child(2)').allInnerTexts();
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds)).toEqual(new Set(['Skyddat boende']));

  // The first unit's occupancy timeline, with its table for screen readers.
  const firstRow = page.locator('table.units tbody tr[data-unit-id]').first();
  await firstRow.getByRole('button').click();
  const timelineTable = page.getByRole('table', { name: 'Tabell över lediga platser' });
  await timelineTable.waitFor();
  const firstUnitRuns = protectedUnits.flatMap((m) => m.housingUnits ?? []).filter((u) => u.freePlaces >= 2)[0]!.freePlaceRuns.length;
  expect(await timelineTable.locator('tbody tr').count()).toBe(firstUnitRuns);
  await page.locator('.recharts-surface').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'capacity-board');

  // A period the wrong way round is refused at its field; corrected, the board shows the new period (it once stayed stuck).
  const later = { from: addDays(todayInStockholm(), 14), to: addDays(todayInStockholm(), 18) };
  const periodError = page.getByText('Sista dagen måste vara samma dag som eller efter första dagen.');
  await page.getByLabel('Ledigt från', { exact: true }).fill(later.from);
  await page.getByLabel('Ledigt till och med', { exact: true }).fill(addDays(todayInStockholm(), 4));
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await periodError.waitFor();
  await page.getByLabel('Ledigt till och med', { exact: true }).fill(later.to);
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await periodError.waitFor({ state: 'detached' });
  // The page's last day is included; the API's `to` is the first day after the period.
  await expectSummary(page, summaryOf(await apiCapacity({ kinds: ['PROTECTED'] }, { from: later.from, to: addDays(later.to, 1) }), 2));

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Free places in the region' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'capacity-board-en');
  await page.getByRole('button', { name: 'Svenska' }).click();

  // Nothing of the session is in the browser's storage; the cookie is HttpOnly.
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  // (The providers' own cookies share the host 127.0.0.1, as cookies ignore ports; ours is the one named session.)
  const ours = async () => (await page.context().cookies(origin)).filter((c) => c.name === 'session').map((c) => [c.httpOnly, c.sameSite]);
  expect(await ours()).toEqual([[true, 'Strict']]);

  // Signing out ends the session here and at the region's provider, which sends the browser back.
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${origin}/`);
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  expect(await ours()).toEqual([]);
  const after = await page.evaluate(
    async () => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
  );
  expect(after).toBe(401);
  await page.context().close();
});

test('an access token about to expire is renewed with the refresh token; after 8 hours the session ends', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.coordinator);
  const sessionStatus = () => page.evaluate<number>(`fetch('/auth/session').then((r) => r.status)`);
  try {
    // Two hours on, the one-hour access token has expired for the web server: without renewal the session would end (401).
    // Three requests at once share one renewal (a refresh token used twice would revoke the grant).
    clockAhead = 2 * 3600_000;
    const graphql = `fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(${JSON.stringify({
      variables: { from: '2026-01-01', to: '2026-01-15', timelineFrom: '2026-01-01', timelineTo: '2026-02-01', filter: { statuses: ['AVAILABLE'] } },
      extensions: { persistedQuery: { version: 1, sha256Hash: capacityOperation.id } },
    })}) }).then((r) => r.status)`;
    const session = `fetch('/auth/session').then((r) => r.status)`;
    expect(await page.evaluate<number[]>(`Promise.all([${session}, ${session}, ${graphql}])`)).toEqual([200, 200, 200]);
    expect(await sessionStatus()).toBe(200);
    // Past the providers' 8-hour session, it ends whatever the tokens say.
    clockAhead = 9 * 3600_000;
    expect(await sessionStatus()).toBe(401);
  } finally {
    clockAhead = 0;
    await page.context().close();
  }
});

/** A placement request id no placement has. */
const NO_REQUEST = '00000000-0000-4000-8000-000000000000';

test('pages come with a strict CSP, no framing, no referrer, and no caching; the gateway runs only registered operations for browser roles', async () => {
  const page = await fetch(`${origin}/capacity`);
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

  const document = await postGraphQL(w.region.gateway.url, '{ region { municipalities { code } } }', {}, await w.region.bearer(Role.COORDINATOR));
  expect(document.status).toBe(400);
  expect(document.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
  const analyst = await postGraphQL(w.region.gateway.url, '{ region { municipalities { code } } }', {}, await w.region.bearer(Role.ANALYST));
  expect(analyst.errors).toBeUndefined();
  expect(analyst.data?.region.municipalities).toHaveLength(8);
  // A municipality's culling job sends its own document too, with a token of the municipality's own provider.
  const cullJob = await postGraphQL(
    w.region.gateway.url,
    FORGET_PLACEMENT_REQUESTS,
    { requestIds: [NO_REQUEST] },
    await w.region.bearer(Role.RETENTION_SERVICE, '0126'),
  );
  expect(cullJob.errors).toBeUndefined();
  expect(cullJob.data?.forgetCulledPlacementRequests.placements).toBe(0);

  // The web server itself forwards registered ids only.
  const unsigned = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
  expect(unsigned.status).toBe(401);
  const crossSite = await fetch(`${origin}/auth/sign-out`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: '{}',
  });
  expect(crossSite.status).toBe(403);
  expect(((await crossSite.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('CROSS_SITE_REQUEST');
  // A callback that this server did not start (no sign-in cookie, made-up code) signs nobody in.
  const forged = await fetch(`${origin}/auth/callback?code=made-up&state=made-up`, { redirect: 'manual' });
  expect(forged.status).toBe(400);
  expect(forged.headers.get('set-cookie') ?? '').not.toMatch(/session=[^;]/);
  const unknown = await fetch(`${origin}/auth/sign-in?organisation=9999`, { redirect: 'manual' });
  expect(unknown.status).toBe(400);
});

test('the web server refuses /graphql itself: without a session 401, and with one any operation not registered 400, each with its error class body', async () => {
  const post = (
    body: unknown,
  ) => `fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(body))} })
    .then(async (r) => ({ status: r.status, body: await r.json() }))`;
  const page = await newPage(w.browser);
  try {
    await page.goto(`${origin}/capacity`);
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    expect(await page.evaluate(post({ extensions: { persistedQuery: { version: 1, sha256Hash: capacityOperation.id } } }))).toEqual({
      status: 401,
      body: { errors: [{ message: 'Not signed in, or the session has expired', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    await signIn(page, origin, WEB_USERS.coordinator);
    const unregistered = {
      status: 400,
      body: { errors: [{ message: 'Only the web app’s registered operations are accepted, by id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    };
    expect(await page.evaluate(post({ query: '{ __typename }' }))).toEqual(unregistered);
    expect(await page.evaluate(post({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }))).toEqual(unregistered);
  } finally {
    await page.context().close();
  }
});

/** Presses Tab until the focused element's text or label matches: the keyboard is the only way around. */
async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    // Runs in the page (a string: this file is type-checked without the DOM's types).
    const label = await page.evaluate<string>(
      `(() => { const e = document.activeElement; return (e?.getAttribute('aria-label') ?? e?.innerText ?? '').replace(/\\s+/g, ' ').trim(); })()`,
    );
    if (name.test(label)) return;
  }
  throw new Error(`nothing named ${name} within ${max} Tab presses`);
}

interface ApiPlacement {
  id: string;
  status: string;
  startsOn: string;
  holdExpiresAt: string | null;
  request: { caseReference: string };
  sendingMunicipality: { code: string };
  receivingMunicipality: { code: string };
  history: { toStatus: string; actorSub: string }[];
}
/** Every placement, as the coordinator's API answers (the registered operation, by id). */
async function apiPlacements(): Promise<ApiPlacement[]> {
  return (await apiOperation<{ placements: ApiPlacement[] }>('Placements', {})).data!.placements;
}

test('a coordinator signs in, proposes and offers with the keyboard alone; a double click offers once', async () => {
  const page = await newPage(w.browser);
  await page.goto(`${origin}/`);
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  // The region's provider comes first: the select already holds it; open it and choose it anyway.
  await tabTo(page, new RegExp(WEB_USERS.coordinator.organisation));
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: WEB_USERS.coordinator.organisation }).waitFor();
  await page.keyboard.press('Enter');
  await tabTo(page, /^Logga in hos organisationen$/);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Logga in hos ${WEB_USERS.coordinator.organisation}` }).waitFor();
  await tabTo(page, new RegExp(`^${WEB_USERS.coordinator.account}$`));
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();

  await tabTo(page, /^Förfrågningar och matchning$/);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Öppna förfrågningar' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);

  await tabTo(page, /^Föreslå placeringar$/);
  await page.keyboard.press('Enter');
  // The optimisation over the whole region can take a while on a busy machine; an error would show at once.
  const proposalsHeading = page.getByRole('heading', { name: 'Förslag', exact: true });
  await proposalsHeading.or(page.locator('.banner-error')).first().waitFor({ timeout: 150_000 });
  expect(await page.locator('.banner-error').allInnerTexts()).toEqual([]);
  const proposals = page.locator('li.proposal');
  expect(await proposals.count()).toBeGreaterThanOrEqual(2);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'requests-proposals');

  const firstCase = (await proposals.nth(0).locator('h3').innerText()).split(' → ')[0]!;
  await tabTo(page, /^Erbjud/);
  await page.keyboard.press('Enter');
  await proposals.nth(0).getByRole('status').waitFor();
  expect(await proposals.nth(0).getByRole('status').innerText()).toMatch(/^Erbjudet: placeringen väntar på svar från .+ till /);

  // A double click on the next proposal: one idempotency key, one offer.
  const secondCase = (await proposals.nth(1).locator('h3').innerText()).split(' → ')[0]!;
  await proposals
    .nth(1)
    .getByRole('button', { name: /^Erbjud/ })
    .dblclick();
  await proposals.nth(1).getByRole('status').waitFor();

  const held = await apiPlacements();
  expect(held.filter((p) => p.request.caseReference === firstCase).map((p) => p.status)).toEqual(['OFFERED']);
  expect(held.filter((p) => p.request.caseReference === secondCase).map((p) => p.status)).toEqual(['OFFERED']);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Open requests' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 300_000);

test('the receiving housing manager accepts, the sending caseworker records the move-in and ends the stay; another offer is declined with a coded reason', async () => {
  const offered = (await apiPlacements()).filter((p) => p.status === 'OFFERED');
  expect(offered.length).toBeGreaterThanOrEqual(2);
  const [first, second] = offered as [ApiPlacement, ApiPlacement];
  const statusOf = async (id: string) => (await apiPlacements()).find((p) => p.id === id)!;

  const manager = await newPage(w.browser);
  await signIn(manager, origin, municipalUser(Role.HOUSING_MANAGER, first.receivingMunicipality.code));
  await manager.getByRole('link', { name: 'Placeringar' }).click();
  const offerCard = manager.locator(`li[data-placement-id="${first.id}"]`);
  // The receiving side reads no request (the sending municipality's): the placement is named by its id.
  expect(await offerCard.getByRole('heading').innerText()).toContain(`Placering ${first.id.slice(0, 8)}`);
  // How long the offer holds its places, in Swedish time.
  const holdsUntil = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }).format(
    new Date(first.holdExpiresAt!),
  );
  expect(await offerCard.locator('.hold-expiry').innerText()).toMatch(new RegExp(`^Erbjudandet gäller till .*${holdsUntil}`));
  expect(await seriousViolations(manager)).toEqual([]);
  await screenshot(manager, 'placements-housing-manager');
  await offerCard.getByRole('button', { name: 'Acceptera' }).click();
  await offerCard.locator('.status', { hasText: 'Accepterad' }).waitFor();
  expect((await statusOf(first.id)).status).toBe('ACCEPTED');
  await manager.context().close();

  const caseworker = await newPage(w.browser);
  await signIn(caseworker, origin, municipalUser(Role.CASEWORKER, first.sendingMunicipality.code));
  await caseworker.goto(`${origin}/placements/${first.id}`);
  const card = caseworker.locator(`li[data-placement-id="${first.id}"]`);
  await card.getByRole('button', { name: 'Registrera inflyttning' }).click();
  await card.locator('.status', { hasText: 'Pågående' }).waitFor();
  expect((await statusOf(first.id)).status).toBe('ACTIVE');
  // Ending a stay is chosen, never defaulted: without a day of moving out nothing is sent.
  expect(await card.getByLabel('Utflyttningsdag').inputValue()).toBe('');
  await card.getByRole('button', { name: 'Avsluta' }).click();
  await card.getByText('Välj utflyttningsdag').waitFor();
  expect((await statusOf(first.id)).status).toBe('ACTIVE');
  const startsOn = (await statusOf(first.id)).startsOn;
  const dayAfterStart = new Date(Date.parse(`${startsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const todayHere = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  await card.getByLabel('Utflyttningsdag').fill(todayHere > dayAfterStart ? todayHere : dayAfterStart);
  await card.getByRole('button', { name: 'Avsluta' }).click();
  await card.locator('.status', { hasText: 'Avslutad' }).waitFor();
  const ended = await statusOf(first.id);
  expect(ended.status).toBe('ENDED');
  expect(ended.history.map((h) => h.toStatus)).toEqual(expect.arrayContaining(['OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED']));
  expect(ended.history.find((h) => h.toStatus === 'ACTIVE')!.actorSub).toBe(`caseworker-${first.sendingMunicipality.code}-1`);
  await card.getByText('Historik').click();
  expect(await seriousViolations(caseworker)).toEqual([]);
  await screenshot(caseworker, 'placements-caseworker');
  await caseworker.context().close();

  const otherManager = await newPage(w.browser);
  await signIn(otherManager, origin, municipalUser(Role.HOUSING_MANAGER, second.receivingMunicipality.code));
  await otherManager.goto(`${origin}/placements/${second.id}`);
  const declined = otherManager.locator(`li[data-placement-id="${second.id}"]`);
  // A reason is chosen, never defaulted: declining without one sends nothing.
  await declined.getByRole('button', { name: 'Avböj', exact: true }).click();
  await declined.getByText('Välj ett skäl').first().waitFor();
  expect((await statusOf(second.id)).status).toBe('OFFERED');
  await declined.getByRole('button', { name: /Skäl \(avböj\)/ }).click();
  await otherManager.getByRole('option', { name: 'Säkerhetsskäl' }).click();
  await declined.getByRole('button', { name: 'Avböj', exact: true }).click();
  await declined.locator('.status', { hasText: 'Avböjd' }).waitFor();
  expect((await statusOf(second.id)).status).toBe('DECLINED');
  // The chosen reason stays in the history, for the other party and the coordinator to read.
  await declined.getByText('Historik').click();
  await declined.locator('details li', { hasText: 'Avböjd' }).filter({ hasText: 'Säkerhetsskäl' }).waitFor();
  expect(await declined.locator('.hold-expiry').count()).toBe(0);
  await otherManager.getByRole('button', { name: 'English' }).click();
  await otherManager.getByRole('heading', { name: 'Placements' }).waitFor();
  expect(await seriousViolations(otherManager)).toEqual([]);
  await otherManager.context().close();
}, 180_000);

/** The kinds of housing as the Swedish page names them (the words of the programme, docs/web.md). */
const KIND_SV: Record<string, string> = { PROTECTED: 'Skyddat boende', TRAINING_FLAT: 'Träningslägenhet', EMERGENCY: 'Akutplats', SUPPORTED: 'Stödboende' };

interface ApiOwnUnit {
  id: string;
  kind: string;
  places: number;
  district: string;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
  status: string;
  freePlaceRuns: { from: string; to: string; freePlaces: number }[];
}

/** The text of the elements that describe a form control (aria-describedby): what a screen reader reads with it. */
async function descriptionOf(page: Page, control: ReturnType<Page['getByRole']>): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
}

test("a housing manager registers a unit (the API's validation message at the field first), edits it, and finds it in the list, its calendar and on the capacity board", async () => {
  const huddinge = await w.region.bearer(Role.HOUSING_MANAGER, '0126');
  const monday = (() => {
    const today = todayInStockholm();
    return addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  })();
  const apiUnits = async () =>
    (await apiOperation<{ myMunicipality: { housingUnits: ApiOwnUnit[] } }>('OwnHousingUnits', { from: monday, to: addDays(monday, 56) }, huddinge)).data!
      .myMunicipality.housingUnits;
  // What the API itself answers to 60 places (registering nothing): the page must show this message at the field.
  const refused = await apiOperation(
    'RegisterHousingUnit',
    {
      input: { kind: 'SUPPORTED', places: 60, district: 'Webbtestgården', streetAddress: 'Provgatan 1', wheelchairAccessible: true, suitableForChildren: true },
    },
    huddinge,
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  const placesMessage = refused.errors![0]!.extensions!.fields!.find((f) => f.field === 'places')!.message;

  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
  await page.getByRole('link', { name: 'Boenden' }).click();
  await page.getByRole('heading', { name: 'Boenden i Huddinge' }).waitFor();
  expect(await page.title()).toBe('Kommunens boenden – Södertörns avhopparverksamhet');
  const unitsBefore = await page.locator('li.unit-card').count();
  expect(unitsBefore).toBe((await apiUnits()).length);

  const form = page.getByRole('form', { name: 'Registrera ett boende' });
  await form.getByRole('button', { name: /Boendeform/ }).click();
  await page.getByRole('option', { name: 'Stödboende' }).click();
  const places = form.getByRole('textbox', { name: 'Platser' });
  await places.fill('60');
  await form.getByRole('textbox', { name: 'Kommundel' }).fill('Webbtestgården');
  await form.getByRole('textbox', { name: 'Gatuadress' }).fill('Provgatan 1');
  await form.getByText('Tillgängligt för rullstol').click();
  await form.getByText('Lämpligt för barn').click();
  await form.getByRole('button', { name: 'Registrera', exact: true }).click();
  await form.getByRole('alert').waitFor();
  expect(await places.getAttribute('aria-invalid')).toBe('true');
  expect(await descriptionOf(page, places)).toBe(placesMessage);
  expect(await form.getByRole('textbox', { name: 'Kommundel' }).getAttribute('aria-invalid')).toBeNull();
  expect((await apiUnits()).filter((u) => u.district === 'Webbtestgården')).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);

  await places.fill('3');
  await form.getByRole('button', { name: 'Registrera', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Boendet är registrerat.' }).waitFor();
  const [held] = (await apiUnits()).filter((u) => u.district === 'Webbtestgården');
  expect(held).toMatchObject({ kind: 'SUPPORTED', places: 3, wheelchairAccessible: true, suitableForChildren: true, status: 'AVAILABLE' });
  const card = page.locator(`li.unit-card[data-unit-id="${held!.id}"]`);
  await card.getByRole('heading', { name: 'Stödboende, Webbtestgården' }).waitFor();
  expect(await page.locator('li.unit-card').count()).toBe(unitsBefore + 1);

  // Edit: four places, another district. The form sends only what changed.
  await card.getByRole('button', { name: /^Ändra/ }).click();
  const edit = card.getByRole('form', { name: 'Ändra Stödboende, Webbtestgården' });
  await edit.getByRole('textbox', { name: 'Platser' }).fill('4');
  await edit.getByRole('textbox', { name: 'Kommundel' }).fill('Webbtestgården norra');
  await edit.getByRole('button', { name: 'Spara ändringarna' }).click();
  await card.getByRole('heading', { name: 'Stödboende, Webbtestgården norra' }).waitFor();
  const edited = (await apiUnits()).find((u) => u.id === held!.id)!;
  expect(edited).toMatchObject({ kind: 'SUPPORTED', places: 4, district: 'Webbtestgården norra', wheelchairAccessible: true, status: 'AVAILABLE' });
  expect(await card.locator('p').first().innerText()).toContain('4 platser');

  // Its booking calendar: eight weeks from this week's Monday, each day's free places as the API counts them.
  await card.getByText(/^Bokningskalender/).click();
  const calendar = card.getByRole('table', { name: /^Lediga platser per dag/ });
  expect(await calendar.locator('tbody tr').count()).toBe(8);
  const today = todayInStockholm();
  const run = edited.freePlaceRuns.find((r) => r.from <= today && today < r.to)!;
  expect(await calendar.locator(`td[data-day="${today}"] .free`).innerText()).toBe(`${run.freePlaces} lediga`);
  // A unit of the demo data with bookings shows them, its calendar open too for the screenshot.
  const booked = (await apiUnits()).find((u) => u.freePlaceRuns.some((r) => r.freePlaces < u.places));
  if (booked) {
    const bookedCard = page.locator(`li.unit-card[data-unit-id="${booked.id}"]`);
    await bookedCard.getByText(/^Bokningskalender/).click();
    expect(await bookedCard.locator('ul.bookings li').count()).toBeGreaterThan(0);
  }
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'units-housing-manager');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Housing units in Huddinge' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Svenska' }).click();

  // On the region's capacity board, for a household of four needing wheelchair access.
  await page.getByRole('link', { name: 'Lediga platser' }).click();
  await page.getByRole('button', { name: /Boendeform/ }).click();
  await page.getByRole('option', { name: 'Stödboende' }).click();
  await page.getByRole('textbox', { name: 'Hushållets storlek' }).fill('4');
  await page.getByText('Tillgängligt för rullstol').click();
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  const row = page.locator(`table.units tbody tr[data-unit-id="${held!.id}"]`);
  await row.waitFor();
  expect(await row.locator('td').allInnerTexts()).toEqual(expect.arrayContaining(['Huddinge', 'Stödboende', 'Webbtestgården norra', '4']));
  await page.context().close();
}, 180_000);

interface ApiRanked {
  unit: { municipalityCode: string; id: string; kind: string; district: string };
}

test('a coordinator picks a unit for one request from bestUnitsFor and offers it; a double click offers once', async () => {
  const municipalities = (
    await apiOperation<{ region: { municipalities: { code: string; name: string; placementRequests: { id: string; caseReference: string }[] | null }[] } }>(
      'OpenRequests',
      {},
    )
  ).data!.region.municipalities;
  const names = new Map(municipalities.map((m) => [m.code, m.name]));
  const open = municipalities.flatMap((m) => (m.placementRequests ?? []).map((r) => ({ ...r, municipality: m })));
  // The first open request the API finds units for (bounded: the open requests of the demo region).
  let pick: { request: (typeof open)[number]; ranked: ApiRanked[] } | undefined;
  for (const request of open) {
    const variables = { requestMunicipality: request.municipality.code, requestId: request.id, limit: 5 };
    const ranked = (await apiOperation<{ bestUnitsFor: ApiRanked[] }>('BestUnitsFor', variables)).data!.bestUnitsFor;
    if (ranked.length > 0) {
      pick = { request, ranked };
      break;
    }
  }
  expect(pick).toBeDefined();
  const { request, ranked } = pick!;

  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.coordinator);
  await page.getByRole('link', { name: 'Förfrågningar och matchning' }).click();
  await page.getByRole('heading', { name: 'Öppna förfrågningar' }).waitFor();
  await page.getByRole('button', { name: /Förfrågan/ }).click();
  await page.getByRole('option', { name: `${request.caseReference} (${request.municipality.name})` }).click();
  await page.getByRole('button', { name: 'Visa bästa boenden' }).click();
  await page.getByRole('heading', { name: `Bästa boenden för ${request.caseReference}` }).waitFor();
  const items = page.locator('li.ranked-unit');
  expect(await items.locator('h4').allInnerTexts()).toEqual(
    ranked.map((r) => `${KIND_SV[r.unit.kind]}, ${r.unit.district}, ${names.get(r.unit.municipalityCode)}`),
  );
  expect(await seriousViolations(page)).toEqual([]);

  // An earlier journey may have offered this request already (and had it declined): count only what this click makes.
  const earlier = new Set((await apiPlacements()).filter((p) => p.request.caseReference === request.caseReference).map((p) => p.id));
  await items
    .first()
    .getByRole('button', { name: /^Erbjud/ })
    .dblclick();
  await items.first().getByRole('status').waitFor();
  const offers = (await apiPlacements()).filter((p) => p.request.caseReference === request.caseReference && !earlier.has(p.id));
  expect(offers.map((p) => [p.status, p.receivingMunicipality.code])).toEqual([['OFFERED', ranked[0]!.unit.municipalityCode]]);
  await screenshot(page, 'requests-best-units');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: `Best units for ${request.caseReference}` }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 180_000);

test('with Salem stopped, the board names it in a banner and shows the other seven', async () => {
  await w.region.shards.get('0128')!.stopServing();
  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.coordinator);
  await page.getByRole('alert').filter({ hasText: 'Salem' }).waitFor();
  expect(await page.getByRole('alert').filter({ hasText: 'Salem' }).innerText()).toContain(
    'Kommunen Salem (0128) svarar inte just nu. Uppgifterna från de övriga kommunerna visas.',
  );
  const expected = (await apiCapacity({})).filter((m) => m.code !== '0128');
  expect(expected).toHaveLength(7);
  await expectSummary(page, summaryOf(expected, 1));
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'capacity-board-municipality-unavailable');
  await page.context().close();
});

test('a sign-in cancelled at the provider comes back to the sign-in page with a message, and nobody is signed in', async () => {
  const page = await newPage(w.browser);
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: /Organisation/ }).click();
  await page.getByRole('option', { name: 'Huddinge kommun', exact: true }).click();
  await page.getByRole('button', { name: 'Logga in hos organisationen', exact: true }).click();
  await page.getByRole('heading', { name: 'Logga in hos Huddinge kommun' }).waitFor();
  await page.getByRole('button', { name: 'Avbryt inloggningen' }).click();
  await page.getByRole('status').filter({ hasText: 'Inloggningen avbröts. Ingen är inloggad.' }).waitFor();
  await page.getByRole('heading', { name: 'Logga in' }).waitFor();
  // The code word is gone from the address bar; no session, no session cookie.
  expect(page.url()).toBe(`${origin}/`);
  expect(await page.evaluate<number>(`fetch('/auth/session').then((r) => r.status)`)).toBe(401);
  expect((await page.context().cookies(origin)).filter((c) => c.name === 'session')).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
});

// Last: the provider that refuses stays so (its client is revoked for the rest of the run).
test('when the provider refuses to renew the token, the session ends and the page says so', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.CASEWORKER, '0192'));
  await page.getByRole('heading', { name: 'Lediga platser i regionen' }).waitFor();
  try {
    // Nynäshamn's provider no longer knows the web app: a refresh is refused (invalid_client). Two hours on, the
    // access token has expired for the web server, which tries to renew it (the test above shows that renewal working).
    await w.region.providers!.revokeClient('0192', WEB_CLIENT_ID);
    clockAhead = 2 * 3600_000;
    await page.getByRole('link', { name: 'Placeringar' }).click();
    await page.getByRole('status').filter({ hasText: 'Din session har gått ut. Logga in igen.' }).waitFor();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Logga ut' }).count()).toBe(0);
    expect(await page.evaluate<number>(`fetch('/auth/session').then((r) => r.status)`)).toBe(401);
  } finally {
    clockAhead = 0;
    await page.context().close();
  }
});
