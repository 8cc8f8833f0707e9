import { Role } from '@sodertorn/testing';
import type { Page } from 'playwright-core';
import { municipalUser, newPage, signIn, startWebRegion, webOrigin, WEB_USERS, type WebRegion } from '../support/web-browser';

/**
 * The pages on a phone (390 × 844 CSS pixels): nothing is pushed off the right edge, so no page
 * scrolls sideways and every value and menu entry can be read where it is. A wide table may scroll
 * inside its own box; the page itself may not. And on a laptop (1280 × 800), what a press opens
 * below the fold is brought into view. No page's own Content-Security-Policy refuses anything.
 */
let w: WebRegion;
let origin: string;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  w = await startWebRegion();
  origin = webOrigin(w.web);
}, 240_000);
afterAll(() => w?.destroy());

/** What the callbacks below read of the page (this project compiles without the DOM's types). */
type PageGlobals = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };

/** How far the page reaches past the right edge of the screen, in CSS pixels (0: it fits). */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as PageGlobals;
    return document.documentElement.scrollWidth - innerWidth;
  });

/** The elements matching `selector` whose right edge is past the screen's, by their text. */
const pastTheEdge = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((elements) =>
      elements
        .filter((e) => e.getBoundingClientRect().right > (globalThis as unknown as PageGlobals).innerWidth + 0.5)
        .map((e) => (e.textContent ?? '').trim().slice(0, 40)),
    );

/** What the browser refused under the pages' Content-Security-Policy, across every page opened here. */
const refusedByCsp: string[] = [];

async function onPhone(): Promise<Page> {
  const page = await newPage(w.browser);
  await page.setViewportSize(PHONE);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text().slice(0, 160));
  });
  return page;
}

test('a caseworker’s participant page: every fact of the case can be read without scrolling sideways', async () => {
  const page = await onPhone();
  await signIn(page, origin, municipalUser(Role.CASEWORKER, '0126'));
  await page.goto(`${origin}/participants`);
  await page.locator('table.participants-table tbody tr[data-participant-id]').first().waitFor();
  const id = await page.locator('table.participants-table tbody tr[data-participant-id]').first().getAttribute('data-participant-id');
  await page.goto(`${origin}/participants/${id}`);
  await page.locator('.facts dd').first().waitFor();
  expect(await pastTheEdge(page, '.facts dt, .facts dd')).toEqual([]);
  expect(await sideways(page)).toBe(0);
  await page.context().close();
});

test('a housing manager’s units with their booking calendars, and the coordinator’s pages, fit the screen; the menu can be read whole', async () => {
  const manager = await onPhone();
  await signIn(manager, origin, municipalUser(Role.HOUSING_MANAGER, '0126'));
  await manager.goto(`${origin}/units`);
  await manager.locator('.booking-calendar').first().waitFor();
  await manager.waitForLoadState('networkidle');
  expect(await sideways(manager)).toBe(0);
  await manager.context().close();

  const coordinator = await onPhone();
  await signIn(coordinator, origin, WEB_USERS.coordinator);
  for (const path of ['/capacity', '/requests', '/placements', '/statistics']) {
    await coordinator.goto(`${origin}${path}`);
    await coordinator.locator('h1').waitFor();
    await coordinator.waitForLoadState('networkidle');
    expect([path, await sideways(coordinator)]).toEqual([path, 0]);
    expect([path, await pastTheEdge(coordinator, 'nav a')]).toEqual([path, []]);
  }
  await coordinator.context().close();
});

test('a unit’s occupancy opens below the capacity table on a laptop’s screen (1280 × 800), and the page brings it into view', async () => {
  const page = await newPage(w.browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, origin, WEB_USERS.coordinator);
  await page.goto(`${origin}/capacity`);
  await page.locator('table.units tbody tr[data-unit-id]').first().getByRole('button').click();
  const heading = page.locator('section.timeline h2');
  await heading.waitFor();
  // In view at once or after a scroll's animation (up to 2 s on a loaded machine).
  let inView = false;
  for (let i = 0; i < 20 && !inView; i++) {
    const box = (await heading.boundingBox())!;
    inView = box.y >= 0 && box.y + box.height <= 800;
    if (!inView) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(inView).toBe(true);
  await page.context().close();
});

test('nothing the app does on those pages is refused by its own Content-Security-Policy', () => {
  // react-aria's press handling injected an inline <style> on every page, which style-src 'self' refuses.
  expect(refusedByCsp).toEqual([]);
});
