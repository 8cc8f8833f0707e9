import { todayInStockholm } from '@sodertorn/service-kit';
import { postGraphQL, Role } from '@sodertorn/testing';
import { apiOperation, municipalUser, newPage, screenshot, seriousViolations, signIn, startWebRegion, webOrigin, type WebRegion } from '../support/web-browser';

/**
 * The auditor's page in Chromium against the real region: a caseworker of Huddinge reads
 * participants (with and without a stated purpose), then Huddinge's auditor filters the log by who,
 * what, when and purpose and sees exactly the rows the API holds, and the chain reported unbroken.
 */
let w: WebRegion;
let origin: string;
const HUDDINGE = '0126';
const CASEWORKER_SUB = `caseworker-${HUDDINGE}-1`;
const PURPOSE = 'Uppföljning av placering';

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface ApiEntry {
  seq: number;
  occurredAt: string;
  actorSub: string;
  action: string;
  purpose: string | null;
}

/** The gateway's answer to the page's registered AuditLog operation, as Huddinge's auditor. */
async function apiAuditLog(variables: Record<string, unknown>): Promise<ApiEntry[]> {
  const body = await apiOperation<{ auditLog: ApiEntry[] }>(w, 'AuditLog', { limit: 1000, ...variables }, await w.region.bearer(Role.AUDITOR, HUDDINGE));
  expect(body.errors).toBeUndefined();
  return body.data!.auditLog;
}

test('an auditor filters the audit log by who, what, when and purpose, sees the rows the API holds and an unbroken chain; axe finds nothing serious in either language', async () => {
  // Reads to audit: Huddinge's caseworker lists the participants twice, once saying why (at the shard, as the gateway would pass it on).
  const caseworker = await w.region.bearer(Role.CASEWORKER, HUDDINGE, CASEWORKER_SUB);
  const shard = w.region.shards.get(HUDDINGE)!.url;
  for (const headers of [{ ...caseworker, 'x-purpose': PURPOSE }, caseworker]) {
    const read = await postGraphQL(shard, '{ participants { id } }', {}, headers);
    expect(read.errors).toBeUndefined();
  }

  const page = await newPage(w.browser);
  await signIn(page, origin, municipalUser(Role.AUDITOR, HUDDINGE));
  // An auditor's first page is the audit log.
  await page.getByRole('heading', { name: 'Granskningslogg, Huddinge (0126)', level: 1 }).waitFor();
  await page.getByText('Kedjan är obruten.').waitFor();
  expect(await page.locator('.chain [data-intact]').getAttribute('data-intact')).toBe('true');

  const today = todayInStockholm();
  await page.getByRole('textbox', { name: 'Vem (användar-id)' }).fill(CASEWORKER_SUB);
  await page.getByRole('button', { name: /Vad/ }).click();
  await page.getByRole('option', { name: 'Läste deltagare', exact: true }).click();
  await page.getByLabel('Från och med').fill(today);
  await page.getByLabel('Till och med').fill(today);
  await page.getByRole('textbox', { name: 'Syfte' }).fill('uppföljning');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();

  // What the API holds: this reader's participant reads; kept here by day and purpose, the test's own way.
  const all = await apiAuditLog({ actorSub: CASEWORKER_SUB, action: 'READ_PARTICIPANT' });
  const expected = all.filter((e) => todayInStockholm(new Date(e.occurredAt)) === today && e.purpose === PURPOSE).map((e) => String(e.seq));
  expect(expected.length).toBeGreaterThan(0);
  expect(all.length).toBeGreaterThan(expected.length); // the read without a purpose is there, and filtered out
  await page.locator('.summary', { hasText: `${expected.length} rader` }).waitFor();
  expect(await page.locator('table.audit-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-seq')))).toEqual(expected);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'audit-auditor');

  // A purpose longer than the API takes: its own message, at the field.
  await page.getByRole('textbox', { name: 'Syfte' }).fill('x'.repeat(201));
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.getByText('must be 1 to 200 characters').waitFor();
  expect(await page.getByRole('textbox', { name: 'Syfte' }).getAttribute('aria-invalid')).toBe('true');
  // The rows of the filter before are gone: under a refused filter they would read as its answer.
  expect(await page.locator('table.audit-table').count()).toBe(0);
  expect(await page.locator('.summary').innerText()).toBe('');
  await page.getByRole('textbox', { name: 'Syfte' }).fill('uppföljning');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.locator('.summary', { hasText: `${expected.length} rader` }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Syfte' }).getAttribute('aria-invalid')).toBeNull();

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText('The chain is unbroken.').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'audit-auditor-en');

  // The statistics exports are not the auditor's.
  expect(await page.evaluate(async () => (await fetch('/downloads/statistics/intakes_by_referral_source.csv?year=2026')).status)).toBe(403);
  await page.context().close();
}, 240_000);
