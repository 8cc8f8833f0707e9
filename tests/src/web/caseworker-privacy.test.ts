import { postGraphQL, Role, syntheticPersonnummer } from '@sodertorn/testing';
import type { Page } from 'playwright-core';
import { municipalUser, newPage, signIn, startWebRegion, webOrigin, type WebRegion } from '../support/web-browser';

/**
 * Privacy in the browser, as Huddinge's caseworker uses the caseworker's pages: every network
 * answer, every page's HTML, every address, title and what JavaScript can read of the browser's
 * storage is collected. None may hold another municipality's participant data (canaries: their
 * participants, read at their own deployments with their own caseworkers' tokens, and one
 * registered there for the test); no personal data at all (the own municipality's too) may be in
 * an address, a title or the storage; and a protected identity of the own municipality, never
 * revealed here, may not be in any answer or page either.
 */
let w: WebRegion;
let origin: string;
const HUDDINGE = '0126';
const BOTKYRKA = '0127';

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

interface Person {
  id: string;
  firstName: string;
  lastName: string;
  personalIdentityNumber: string;
  protectedIdentity: boolean;
}

/** Every participant of a municipality, read at its own deployment by its own caseworker (the expected side, not the page). */
async function participantsAt(code: string): Promise<Person[]> {
  const answer = await postGraphQL(
    w.region.shards.get(code)!.url,
    '{ participants { id firstName lastName personalIdentityNumber protectedIdentity } }',
    {},
    await w.region.bearer(Role.CASEWORKER, code),
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.participants as Person[];
}

/** A personnummer as it may be written: 12 digits, with a dash, and the 10-digit forms. */
function numberForms(pnr: string): string[] {
  return [pnr, `${pnr.slice(0, 8)}-${pnr.slice(8)}`, pnr.slice(2), `${pnr.slice(2, 8)}-${pnr.slice(8)}`];
}

/**
 * What JavaScript on the page can read of the browser's storage: localStorage, sessionStorage,
 * cookies, every IndexedDB store. Run in the page as text (the tests are compiled without the DOM's types).
 */
const READ_STORAGE = `(async () => {
  const idb = [];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(info.name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      idb.push({ db: info.name, store, all });
    }
    db.close();
  }
  return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie, idb });
})()`;

async function readableStorage(page: Page): Promise<string> {
  return page.evaluate<string>(READ_STORAGE);
}

test('as a caseworker of Huddinge, no answer, page or storage holds another municipality’s participants, and no personal data is in addresses, titles or storage', async () => {
  // A canary of the test's own at Botkyrka, besides the demo participants of the seven others.
  const canary = syntheticPersonnummer(9001, 1985);
  const registered = await postGraphQL(
    w.region.shards.get(BOTKYRKA)!.url,
    `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
    {
      input: {
        firstName: 'Kanariefågel',
        lastName: 'Främlingsdotter',
        ...canary,
        gender: 'FEMALE',
        referralSource: 'POLICE',
        riskLevel: 'HIGH',
        intakeDate: canary.birthDate.replace(/^\d{4}/, '2026'),
        responsibleCaseworker: `caseworker-${BOTKYRKA}-1`,
      },
    },
    await w.region.bearer(Role.CASEWORKER, BOTKYRKA),
  );
  expect(registered.errors).toBeUndefined();

  const own = await participantsAt(HUDDINGE);
  const others = (await Promise.all(w.region.registry.filter((m) => m.code !== HUDDINGE).map((m) => participantsAt(m.code)))).flat();
  expect(others.some((p) => p.lastName === 'Främlingsdotter')).toBe(true);
  // Names repeat between municipalities (the demo draws from one list): a full name is another's only if no own participant has it.
  const ownFullNames = new Set(own.map((p) => `${p.firstName} ${p.lastName}`));
  const otherCanaries = [
    ...others.flatMap((p) => numberForms(p.personalIdentityNumber)),
    ...others.map((p) => `${p.firstName} ${p.lastName}`).filter((n) => !ownFullNames.has(n)),
    'Kanariefågel',
    'Främlingsdotter',
  ];
  const ownProtected = own.filter((p) => p.protectedIdentity);
  const ownOpen = own.filter((p) => !p.protectedIdentity);
  expect(ownProtected.length).toBeGreaterThan(0);
  // A protected person's name may be an open participant's too (the same full name): then only their number counts.
  const openFullNames = new Set(ownOpen.map((p) => `${p.firstName} ${p.lastName}`));
  const protectedValues = ownProtected.flatMap((p) => [
    ...numberForms(p.personalIdentityNumber),
    ...(openFullNames.has(`${p.firstName} ${p.lastName}`) ? [] : [`${p.firstName} ${p.lastName}`]),
  ]);
  const everyPerson = [...own, ...others];
  const personalNumbers = everyPerson.flatMap((p) => numberForms(p.personalIdentityNumber));
  const personalNames = [...new Set(everyPerson.flatMap((p) => [p.firstName, p.lastName]))];

  const page = await newPage(w.browser);
  const bodies: Promise<string>[] = [];
  const urls: string[] = [];
  const pages: { url: string; title: string; html: string; storage: string }[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('response', (response) => bodies.push(response.text().catch(() => '')));
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  const visit = async () => {
    await page.waitForLoadState('networkidle');
    pages.push({ url: page.url(), title: await page.title(), html: await page.content(), storage: await readableStorage(page) });
  };

  await signIn(page, origin, municipalUser(Role.CASEWORKER, HUDDINGE));
  await visit();
  await page.getByRole('link', { name: 'Deltagare', exact: true }).click();
  await page.locator('table.participants-table tbody tr').first().waitFor();
  await visit();
  // Search for an own participant by name and by personnummer: the text stays in the page.
  const searchbox = page.getByRole('searchbox', { name: 'Sök på namn, personnummer eller ärendereferens' });
  await searchbox.fill(`${ownOpen[0]!.firstName} ${ownOpen[0]!.lastName}`);
  await visit();
  await searchbox.fill(ownOpen[0]!.personalIdentityNumber);
  await visit();
  await searchbox.fill('');
  for (const phase of ['Inskrivning', 'Utredning', 'Aktiv', 'Placerad', 'Avslutad', 'Avbruten', 'Alla faser']) {
    await page.getByRole('button', { name: /Fas/ }).click();
    await page.getByRole('option', { name: phase, exact: true }).click();
    await visit();
  }
  // Some open participants' pages and every protected one's (not revealed).
  for (const person of [...ownOpen.slice(0, 4), ...ownProtected]) {
    await page.goto(`${origin}/participants/${person.id}`);
    await page.getByRole('heading', { name: 'Deltagarens ärende', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Placeringsförfrågningar' }).waitFor();
    await visit();
  }
  await page.goto(`${origin}/participants/new`);
  await page.getByRole('heading', { name: 'Registrera deltagare', level: 1 }).waitFor();
  await visit();
  for (const path of ['/placements', '/capacity']) {
    await page.goto(`${origin}${path}`);
    await visit();
  }
  const answers = await Promise.all(bodies);

  // The collection works: the own participants' data did arrive (so its absence elsewhere means something).
  expect(answers.some((b) => b.includes(ownOpen[0]!.personalIdentityNumber))).toBe(true);
  expect(pages.some((p) => p.html.includes(ownOpen[0]!.personalIdentityNumber))).toBe(true);
  expect(pages.length).toBeGreaterThan(15);

  const found = (texts: string[], values: string[]) => values.filter((v) => texts.some((t) => t.includes(v)));
  const foundWords = (texts: string[], words: string[]) =>
    words.filter((word) => texts.some((t) => new RegExp(`(^|[^\\p{L}])${word}($|[^\\p{L}])`, 'u').test(t)));
  // No other municipality's participant anywhere.
  expect(found(answers, otherCanaries)).toEqual([]);
  expect(
    found(
      pages.map((p) => p.html),
      otherCanaries,
    ),
  ).toEqual([]);
  // A protected identity not revealed: in no answer and no page.
  expect(found(answers, protectedValues)).toEqual([]);
  expect(
    found(
      pages.map((p) => p.html),
      protectedValues,
    ),
  ).toEqual([]);
  // No personal data at all in addresses, titles or storage.
  const addresses = [...urls, ...pages.map((p) => p.url)].map((u) => decodeURIComponent(u));
  const titles = pages.map((p) => p.title);
  const storage = pages.map((p) => p.storage);
  for (const texts of [addresses, titles, storage]) {
    expect(found(texts, personalNumbers)).toEqual([]);
    expect(foundWords(texts, personalNames)).toEqual([]);
  }
  expect(new Set(titles)).toEqual(new Set(titles.filter((t) => t.endsWith('– Södertörns avhopparverksamhet'))));
  expect(storage.every((s) => s === JSON.stringify({ local: {}, session: {}, cookies: '', idb: [] }))).toBe(true);
  await page.context().close();
}, 300_000);
