import { Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { apiOperation, municipalUser, newPage, screenshot, seriousViolations, signIn, startWebRegion, webOrigin, type WebRegion } from '../support/web-browser';

/**
 * The register extract in Chromium against the real region: Huddinge's caseworker downloads it
 * from a participant's page, Huddinge's data protection officer signs in to the page made for it
 * (their first page), is told at the field that a mistyped id is none, and downloads the extract.
 * The web server's route refuses the roles the extract is not for, and passes on the gateway's
 * refusal of another municipality's caseworker without a word of the participant.
 */
let w: WebRegion;
let origin: string;
const HUDDINGE = '0126';
const TYRESO = '0138';

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface Listed {
  id: string;
  firstName: string;
  lastName: string;
  personalIdentityNumber: string;
}

/** A Huddinge participant without a protected identity, with their name as the API holds it (the expected side). */
async function aHuddingeParticipant(): Promise<Listed> {
  const body = await apiOperation<{ open: Listed[] }>(
    w,
    'CaseworkerParticipants',
    { phase: null },
    await w.region.bearer(Role.CASEWORKER, HUDDINGE, `caseworker-${HUDDINGE}-1`),
  );
  expect(body.errors).toBeUndefined();
  return body.data!.open[0]!;
}

/** The text a reader of the downloaded page sees (the HTML's own escaping undone by the browser). */
async function textOfDownload(browser: Browser, path: string): Promise<string> {
  const reader = await newPage(browser);
  await reader.setContent(readFileSync(path, 'utf8'));
  const text = await reader.locator('body').innerText();
  await reader.context().close();
  return text;
}

/** Clicks and waits for the download the click starts; its name and the text it shows. */
async function downloadBy(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: await textOfDownload(w.browser, (await download.path())!) };
}

/** The web server's route asked from inside the signed-in page (same origin, the session's cookie). */
async function askRoute(page: Page, body: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async ([b, type]) => {
      const r = await fetch('/downloads/access-request', { method: 'POST', headers: { 'content-type': type as string }, body: JSON.stringify(b) });
      return { status: r.status, text: await r.text() };
    },
    [body, contentType] as const,
  );
}

test("a caseworker downloads their participant's register extract from the participant's page", async () => {
  const participant = await aHuddingeParticipant();
  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.CASEWORKER, HUDDINGE));
  await page.goto(`${origin}/participants/${participant.id}`);
  await page.getByRole('heading', { name: 'Deltagarens ärende', level: 1 }).waitFor();

  const extract = await downloadBy(page, () => page.getByRole('button', { name: 'Registerutdrag', exact: true }).click());
  expect(extract.name).toBe('registerutdrag.html');
  expect(extract.text).toContain('Registerutdrag');
  expect(extract.text).toContain(participant.firstName);
  expect(extract.text).toContain(participant.lastName);
  expect(extract.text).toContain(participant.personalIdentityNumber);
  await page.getByText('Registerutdraget har hämtats').waitFor();
  // The id went in the body: the address is still the page's own.
  expect(page.url()).toBe(`${origin}/participants/${participant.id}`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 120_000);

test('the data protection officer lands on the register extract page, is told at the field about an id that is none, and downloads the extract', async () => {
  const participant = await aHuddingeParticipant();
  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.DATA_PROTECTION_OFFICER, HUDDINGE));
  await page.getByRole('heading', { name: 'Registerutdrag', level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/access-request');
  expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allInnerTexts()).toEqual(['Registerutdrag']);
  expect(await seriousViolations(page)).toEqual([]);

  const field = page.getByRole('textbox', { name: 'Deltagarens id' });
  const submit = page.getByRole('button', { name: 'Registerutdrag', exact: true });
  // Not a UUID: said at the field, before anything is sent.
  let sent = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/downloads/access-request')) sent++;
  });
  await field.fill('6b731f1e-18a4-492f-807a');
  await submit.click();
  await page.locator('[data-field="participantId"] .field-error', { hasText: 'Ange deltagarens id' }).waitFor();
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(sent).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'access-request-invalid');

  // A UUID that is no participant of Huddinge: the API's answer, at the field.
  await field.fill(randomUUID());
  await submit.click();
  await page.locator('[data-field="participantId"] .field-error', { hasText: 'Det finns ingen deltagare med det id:t i din kommun' }).waitFor();
  expect(sent).toBe(1);

  await field.fill(participant.id);
  const extract = await downloadBy(page, () => submit.click());
  expect(extract.name).toBe('registerutdrag.html');
  expect(extract.text).toContain(participant.firstName);
  expect(extract.text).toContain(participant.lastName);
  await page.getByText('Registerutdraget har hämtats').waitFor();
  expect(await field.getAttribute('aria-invalid')).toBeNull();
  expect(page.url()).toBe(`${origin}/access-request`);

  // In English: the page and the extract.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Register extract', level: 1 }).waitFor();
  const english = await downloadBy(page, () => page.getByRole('button', { name: 'Register extract', exact: true }).click());
  expect(english.name).toBe('register-extract.html');
  expect(english.text).toContain('Register extract');
  expect(english.text).toContain(participant.lastName);
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 120_000);

test("the web server's route refuses other roles, no session, a bad id and a cross-site form; another municipality's caseworker learns nothing", async () => {
  const participant = await aHuddingeParticipant();
  const unsigned = await fetch(`${origin}/downloads/access-request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ participantId: participant.id }),
  });
  expect(unsigned.status).toBe(401);
  expect(((await unsigned.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

  const housing = await newPage(w.browser);
  await signIn(housing, origin, municipalUser(Role.HOUSING_MANAGER, HUDDINGE));
  const forbidden = await askRoute(housing, { participantId: participant.id });
  expect(forbidden.status).toBe(403);
  expect(JSON.parse(forbidden.text).errors[0].extensions.code).toBe('FORBIDDEN');
  await housing.context().close();

  const other = await newPage(w.browser);
  await signIn(other, origin, municipalUser(Role.CASEWORKER, TYRESO));
  // Another municipality's participant is none of theirs: the gateway's NOT_FOUND, passed on, without their name.
  const elsewhere = await askRoute(other, { participantId: participant.id });
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.text).not.toContain(participant.lastName);
  const bad = await askRoute(other, { participantId: 'not-an-id' });
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.text).errors[0].extensions).toEqual({
    code: 'VALIDATION_FAILED',
    fields: [{ field: 'participantId', message: 'must be the id (a UUID) of a participant' }],
  });
  // A form (not JSON) is what another site could send: refused before anything else.
  const form = await other.evaluate(async (id) => {
    const r = await fetch('/downloads/access-request', { method: 'POST', body: new URLSearchParams({ participantId: id }) });
    return { status: r.status, body: (await r.json()) as { errors: { extensions: { code: string } }[] } };
  }, participant.id);
  expect(form.status).toBe(403);
  expect(form.body.errors[0]!.extensions.code).toBe('CROSS_SITE_REQUEST');
  await other.context().close();
}, 120_000);

test("the auditor's action filter offers every action the API accepts, and the extract's own row is found by it", async () => {
  // An extract to find (asked of the gateway directly, as the officer).
  const participant = await aHuddingeParticipant();
  const officer = await w.region.bearer(Role.DATA_PROTECTION_OFFICER, HUDDINGE, `dataskydd-${HUDDINGE}-1`);
  const made = await fetch(new URL('/access-request', w.region.gateway.url), {
    method: 'POST',
    headers: { ...officer, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ participantId: participant.id }),
  });
  expect(made.status).toBe(200);
  const expected = await apiOperation<{ auditLog: { seq: number }[] }>(
    w,
    'AuditLog',
    { limit: 1000, action: 'ACCESS_REQUEST' },
    await w.region.bearer(Role.AUDITOR, HUDDINGE),
  );
  expect(expected.errors).toBeUndefined();
  const seqs = expected.data!.auditLog.map((e) => String(e.seq));
  expect(seqs.length).toBeGreaterThan(0);

  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.AUDITOR, HUDDINGE));
  await page.getByText('Kedjan är obruten.').waitFor();
  await page.getByRole('button', { name: /Vad/ }).click();
  // The municipal subgraph's AUDIT_ACTIONS, each in words.
  expect(await page.getByRole('option').allInnerTexts()).toEqual([
    'Alla händelser',
    'Läste deltagare',
    'Läste gatuadress',
    'Läste granskningsloggen',
    'Registerutdrag',
    'Gallring',
    'Gallringsstopp infört',
    'Gallringsstopp hävt',
  ]);
  await page.getByRole('option', { name: 'Registerutdrag', exact: true }).click();
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.locator('.summary', { hasText: `${seqs.length} ${seqs.length === 1 ? 'rad' : 'rader'}` }).waitFor();
  const rows = page.locator('table.audit-table tbody tr');
  expect(await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute('data-seq')))).toEqual(seqs);
  expect(await rows.last().locator('td').nth(3).innerText()).toBe('Registerutdrag');
  expect(await rows.last().locator('td').nth(2).innerText()).toContain(`dataskydd-${HUDDINGE}-1`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 120_000);
