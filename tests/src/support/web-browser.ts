import AxeBuilder from '@axe-core/playwright';
import { loadTrustedDocuments } from '@sodertorn/gateway';
import { listen, loadRegistry, type Listening } from '@sodertorn/service-kit';
import { testIssuer, Role } from '@sodertorn/testing';
import { createWebServer, WEB_BUILD, type DevUser } from '@sodertorn/web';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestRegion, type TestRegion } from './test-region';

/** The demo users the browser journeys sign in as (the development sign-in of the web server). */
export const WEB_USERS = {
  coordinator: { sub: 'coordinator-1', roles: [Role.COORDINATOR], who: 'Samordnare (demo)' },
} satisfies Record<string, DevUser>;

/** A housing manager and a caseworker of every member municipality. */
const MUNICIPAL_USERS: DevUser[] = loadRegistry().flatMap((m) => [
  { sub: `housing-${m.code}`, roles: [Role.HOUSING_MANAGER], municipality: m.code, who: `Boendeansvarig ${m.name} (demo)` },
  { sub: `caseworker-${m.code}`, roles: [Role.CASEWORKER], municipality: m.code, who: `Handläggare ${m.name} (demo)` },
]);

/** The demo user of a municipal role in a municipality. */
export function municipalUser(role: Role.HOUSING_MANAGER | Role.CASEWORKER, code: string): DevUser {
  return MUNICIPAL_USERS.find((u) => u.municipality === code && u.roles.includes(role))!;
}

export const SCREENSHOTS = resolve(__dirname, '../../../docs/screenshots');

export interface WebRegion {
  region: TestRegion;
  web: Listening;
  browser: Browser;
  destroy(): Promise<void>;
}

/**
 * The real region (eight shards, the regional subgraph, the gateway requiring registered
 * operations from browser roles, as in production), the web server with its built app, and
 * Debian's Chromium driven by Playwright. Needs `npm run build` (npm test builds first) and
 * chromium on the PATH (.ci/run installs it).
 */
export async function startWebRegion(options: { shardTimeoutMs?: number } = {}): Promise<WebRegion> {
  const region = await startTestRegion({
    // A busy test machine (eight shards, a browser, the optimiser) can outlast the usual 3 s; a stopped
    // municipality is refused at once whatever the timeout.
    shardTimeoutMs: options.shardTimeoutMs ?? 10_000,
    trustedDocuments: loadTrustedDocuments(WEB_BUILD.persistedOperationsFile, true),
  });
  const issuer = await testIssuer();
  const app = createWebServer({
    gatewayUrl: region.gateway.url,
    ...WEB_BUILD,
    devSignIn: {
      users: [...Object.values(WEB_USERS), ...MUNICIPAL_USERS],
      mintToken: (u) => issuer.mint({ sub: u.sub, roles: u.roles as Role[], municipality: u.municipality, expiresIn: '1h' }),
    },
  });
  const web = await listen(app, 0);
  const browser = await chromium.launch({
    executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    region,
    web,
    browser,
    async destroy() {
      await browser.close();
      await web.close();
      await region.destroy();
    },
  };
}

/** The origin the web server answers on (its `listen` URL names /graphql-less root). */
export function webOrigin(web: Listening): string {
  return new URL(web.url).origin;
}

/** A page in a fresh browser context (its own cookies), as axe-core's Playwright integration wants. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  return context.newPage();
}

/** Signs in through the page as a person would: choose the demo user, press the button. */
export async function signIn(page: Page, origin: string, who: string): Promise<void> {
  await page.goto(`${origin}/capacity`);
  await page.getByRole('button', { name: /Demoanvändare/ }).click();
  await page.getByRole('option', { name: who, exact: true }).click();
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();
}

/** Serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Saves the page as docs/screenshots/<name>.png for docs/web.md. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
}
