import { Role } from '@sodertorn/testing';
import { parse as parseCsv } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { apiOperation, newPage, screenshot, seriousViolations, signIn, startWebRegion, webOrigin, WEB_USERS, type WebRegion } from '../support/web-browser';

/**
 * The analysts' statistics page in Chromium against the real region: choose a dataset and a year,
 * read the region's and a municipality's table (the figures the gateway answers, withheld cells
 * marked with their reason), download the Swedish Excel CSV through the web server; the
 * coordinator's release log. Expected figures come from the gateway, asked directly with a token.
 */
let w: WebRegion;
let origin: string;
/** The demo data (seeded with today = 2026-11-27) has intakes and placements in 2026. */
const YEAR = 2026;

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface ApiRow {
  municipalityCode: string;
  period: string;
  category: string;
  value: number | null;
  suppressed: boolean;
  reason: string | null;
}
type ApiValue = Pick<ApiRow, 'value' | 'suppressed' | 'reason'>;
interface ApiTable {
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  rows: ApiRow[];
  columnTotals: ApiValue[];
  total: ApiValue;
}

/** The gateway's answer to the page's own registered operation, asked by id with an analyst's token. */
async function apiTable(dataset: string): Promise<ApiTable> {
  const body = await apiOperation<{ statistics: ApiTable }>(w, 'StatisticsTable', { dataset, year: YEAR }, await w.region.bearer(Role.ANALYST));
  expect(body.errors).toBeUndefined();
  return body.data!.statistics;
}

/** Every figure the page shows for one area, keyed as the API keys its rows: period|category → the cell's text. */
async function shownCells(page: Page): Promise<Map<string, { text: string; reason: string | null }>> {
  const cells = await page.locator('table.statistics-table tbody td').evaluateAll((tds) =>
    tds.map((td) => ({
      key: `${td.parentElement!.getAttribute('data-period')}|${td.getAttribute('data-category')}`,
      text: (td as { innerText?: string }).innerText!.trim(),
      reason: td.querySelector('[data-reason]')?.getAttribute('data-reason') ?? null,
    })),
  );
  return new Map(cells.map((c) => [c.key, { text: c.text, reason: c.reason }]));
}

/** What a person reads in a published count cell: digits with Swedish grouping. */
const countOf = (text: string) => Number(text.replace(/\s/g, ''));

/** Every API row of one area, against the page: published counts equal, withheld ones marked (never a number). */
function expectSameFigures(shown: Map<string, { text: string; reason: string | null }>, rows: ApiRow[]): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const cell = shown.get(`${row.period}|${row.category}`);
    expect([row.period, row.category, cell !== undefined]).toEqual([row.period, row.category, true]);
    if (row.suppressed || row.value === null) {
      expect([row.period, row.category, cell!.reason, /\d/.test(cell!.text)]).toEqual([row.period, row.category, row.reason ?? 'NO_DATA', false]);
    } else {
      expect([row.period, row.category, countOf(cell!.text)]).toEqual([row.period, row.category, row.value]);
    }
  }
}

async function choose(page: Page, label: RegExp, option: string): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('an analyst chooses a dataset and a year, reads the figures the API holds with withheld cells marked, and downloads the Swedish Excel CSV; axe finds nothing serious in either language', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.analyst);
  // An analyst's first page is the statistics (the capacity board is not theirs).
  await page.getByRole('heading', { name: 'Statistik', level: 1 }).waitFor();
  expect(await page.getByRole('link', { name: 'Lediga platser' }).count()).toBe(0);

  // Active participants have no year total (a person active all year would count four times): withheld, NOT_ADDITIVE.
  await choose(page, /Tabell/, 'Aktiva deltagare efter kön');
  await choose(page, /År/, String(YEAR));
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.getByRole('heading', { name: `Aktiva deltagare efter kön ${YEAR}` }).waitFor();
  const active = await apiTable('active_by_gender');
  // The long format has no year rows here; the table's year totals say why.
  const categories = ['FEMALE', 'MALE', 'OTHER'];
  const yearTotals: ApiRow[] = [...active.columnTotals, active.total].map((v, i) => ({
    ...v,
    municipalityCode: 'ALL',
    period: String(YEAR),
    category: [...categories, 'TOTAL'][i]!,
  }));
  expect(active.rows.some((r) => r.period === String(YEAR))).toBe(false);
  expect(yearTotals.map((r) => r.reason)).toEqual(['NOT_ADDITIVE', 'NOT_ADDITIVE', 'NOT_ADDITIVE', 'NOT_ADDITIVE']);
  expectSameFigures(await shownCells(page), [...active.rows.filter((r) => r.municipalityCode === 'ALL'), ...yearTotals]);
  const withheld = page.locator(`tr[data-period="${YEAR}"] td[data-category="FEMALE"]`);
  expect(await withheld.innerText()).toBe('× ej summerbar');
  await page.getByText('Siffran finns inte: kvartalen kan inte läggas ihop').waitFor();
  await page.getByText(`Omfattar ${active.municipalitiesCovered.length} kommuner`).waitFor();
  if (active.municipalitiesMissing.length === 0) await page.getByText('Ingen medlemskommun saknas.').waitFor();
  await page.locator('.statistics-chart .recharts-bar-rectangle').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'statistics-analyst');

  // Intakes by referral source, regional and then Botkyrka's own table.
  await choose(page, /Tabell/, 'Inskrivningar efter remittent');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.getByRole('heading', { name: `Inskrivningar efter remittent ${YEAR}` }).waitFor();
  const intakes = await apiTable('intakes_by_referral_source');
  expectSameFigures(
    await shownCells(page),
    intakes.rows.filter((r) => r.municipalityCode === 'ALL'),
  );
  await choose(page, /Område/, 'Botkyrka (0127)');
  await page.locator('table.statistics-table[data-area="0127"]').waitFor();
  expectSameFigures(
    await shownCells(page),
    intakes.rows.filter((r) => r.municipalityCode === '0127'),
  );
  await page.locator('.statistics-chart .recharts-bar-rectangle').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'statistics-analyst-municipality');

  // The Swedish Excel CSV, through the web server (the browser holds no token): BOM, semicolons, decimal comma, the API's figures.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ned CSV för svenskt Excel' }).click()]);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  expect(text.split('\r\n')[0]).toContain(';');
  const csv = parseCsv(text, { delimiter: ';', columns: true }) as Record<string, string>[];
  const csvValue = (r: ApiRow) => csv.find((c) => c.municipality_code === r.municipalityCode && c.period === r.period && c.category === r.category)?.value;
  for (const row of intakes.rows.filter((r) => r.municipalityCode === 'ALL' && !r.suppressed)) {
    expect([row.period, row.category, Number(csvValue(row)!.replace(',', '.'))]).toEqual([row.period, row.category, row.value]);
  }

  // The Excel workbook, the same way: typed cells, the API's figures.
  const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ned Excel-arbetsbok (xlsx)' }).click()]);
  const [data] = await readXlsxFile(readFileSync((await workbook.path())!));
  const [columns, ...sheetRows] = data!.data;
  const sheetValue = (r: ApiRow) =>
    sheetRows.find(
      (row) =>
        row[columns!.indexOf('municipality_code')] === r.municipalityCode &&
        row[columns!.indexOf('period')] === r.period &&
        row[columns!.indexOf('category')] === r.category,
    )?.[columns!.indexOf('value')];
  for (const row of intakes.rows.filter((r) => r.municipalityCode === 'ALL' && !r.suppressed)) {
    expect([row.period, row.category, sheetValue(row)]).toEqual([row.period, row.category, row.value]);
  }

  // The web server lets the browser name a dataset, a format, a year and locale=sv, nothing else.
  const statusOf = (path: string) => page.evaluate(async (p) => (await fetch(p)).status, path);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.csv?year=${YEAR}`)).toBe(200);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.csv?year=next`)).toBe(400);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.csv?year=${YEAR}&locale=en`)).toBe(400);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.xlsx?year=${YEAR}`)).toBe(200);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.xlsx?year=${YEAR}&locale=sv`)).toBe(400);
  expect(await statusOf(`/downloads/statistics/intakes_by_referral_source.xml?year=${YEAR}`)).toBe(400);
  expect(await statusOf(`/downloads/statistics/..%2F..%2Fgraphql?year=${YEAR}`)).toBe(400);
  expect((await fetch(`${origin}/downloads/statistics/intakes_by_referral_source.csv?year=${YEAR}`)).status).toBe(401);

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: `Intakes by referral source ${YEAR}` }).waitFor();
  expect(await page.locator(`tr[data-period="${YEAR}"] td[data-category="TOTAL"]`).count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'statistics-analyst-en');
  await page.context().close();
}, 240_000);

test('a coordinator sees the release log: the analyst’s releases, to the analyst, no figures', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.coordinator);
  await page.getByRole('link', { name: 'Statistik' }).click();
  await page.getByRole('heading', { name: 'Publiceringslogg' }).waitFor();
  const answer = await apiOperation<{ statisticsReleases: { clientSub: string; dataset: string }[] }>(
    w,
    'StatisticsReleases',
    {},
    await w.region.bearer(Role.COORDINATOR),
  );
  const releases = answer.data!.statisticsReleases;
  // The first test's reads were released to the analyst who signed in.
  expect(releases.some((r) => r.clientSub === 'analyst-1' && r.dataset === 'active_by_gender')).toBe(true);
  const rows = page.locator('table.releases-table tbody tr');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(releases.length);
  expect(await rows.filter({ hasText: 'analyst-1' }).count()).toBe(releases.filter((r) => r.clientSub === 'analyst-1').length);
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
}, 240_000);

test('on a slow connection the choices wait for the datasets: the dataset list opens with every dataset once the API has answered', async () => {
  const page = await newPage(w.browser);
  await signIn(page, origin, WEB_USERS.analyst);
  // Every API answer from here on arrives 1.5 s late, as on a congested municipal network.
  await page.route('**/graphql**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.reload();
  await page.getByRole('heading', { name: 'Statistik', level: 1 }).waitFor();
  await choose(page, /Tabell/, 'Inskrivningar efter remittent');
  expect(await page.getByRole('button', { name: /Tabell/ }).innerText()).toContain('Inskrivningar efter remittent');
  await page.context().close();
}, 240_000);
