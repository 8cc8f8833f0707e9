import AxeBuilder from '@axe-core/playwright';
import { loadTrustedDocuments } from '@sodertorn/gateway';
import { createTokenVerifier } from '@sodertorn/auth';
import { WEB_CLIENT_ID } from '@sodertorn/identity-provider';
import { findFreePort } from '@sodertorn/postgres';
import { listen, loadRegistry, type Listening } from '@sodertorn/service-kit';
import { Role } from '@sodertorn/testing';
import { createWebServer, loadPersistedOperations, WEB_BUILD } from '@sodertorn/web';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FaultyProxy } from './faulty-proxy';
import { startTestRegion, type TestRegion } from './test-region';

/** Someone who signs in at their organisation's provider by choosing a demo account on its login page. */
export interface WebUser {
  /** The organisation as the web app's sign-in page names it (the provider's display name). */
  organisation: string;
  /** The demo account's button on the provider's login page. */
  account: string;
}

/** The region's demo people (packages/identity-provider's REGION_ACCOUNTS). */
export const WEB_USERS = {
  coordinator: { organisation: 'Södertörns region', account: 'Samordnare, Södertörn' },
  analyst: { organisation: 'Södertörns region', account: 'Analytiker, Södertörn' },
} satisfies Record<string, WebUser>;

/** The demo account of a municipal role at a municipality's own provider (municipalAccounts). */
export function municipalUser(role: Role.HOUSING_MANAGER | Role.CASEWORKER | Role.AUDITOR | Role.DATA_PROTECTION_OFFICER, code: string): WebUser {
  const name = loadRegistry().find((m) => m.code === code)!.name;
  const title = {
    [Role.HOUSING_MANAGER]: 'Bostadsansvarig',
    [Role.CASEWORKER]: 'Handläggare',
    [Role.AUDITOR]: 'Granskare',
    [Role.DATA_PROTECTION_OFFICER]: 'Dataskydd',
  }[role];
  return { organisation: `${name} kommun`, account: `${title}, ${name}` };
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
export async function startWebRegion(
  options: {
    shardTimeoutMs?: number;
    /** The web server's clock (default: the real one). */
    now?: () => number;
    /** Put between the web server and the gateway (its target is set here), to stop, freeze or kill the gateway's side. */
    gatewayProxy?: FaultyProxy;
    /** The web server's wait for the gateway (default: its own). */
    gatewayTimeoutMs?: number;
    /** The web server's wait for an identity provider, in seconds (default: its own). */
    providerTimeoutSeconds?: number;
  } = {},
): Promise<WebRegion> {
  // The web server's port first: the providers must know where to send the browser back.
  const webPort = await findFreePort();
  const origin = `http://127.0.0.1:${webPort}`;
  const region = await startTestRegion({
    identityProviders: { webRedirectUris: [`${origin}/auth/callback`], webPostLogoutRedirectUris: [`${origin}/`] },
    // A busy test machine (eight shards, a browser, the optimiser) can outlast the usual 3 s; a stopped
    // municipality is refused at once whatever the timeout.
    shardTimeoutMs: options.shardTimeoutMs ?? 10_000,
    trustedDocuments: loadTrustedDocuments(WEB_BUILD.persistedOperationsFile, true),
  });
  options.gatewayProxy?.setTarget(region.gateway.url);
  const app = createWebServer({
    gatewayUrl: options.gatewayProxy?.url ?? region.gateway.url,
    gatewayTimeoutMs: options.gatewayTimeoutMs,
    ...WEB_BUILD,
    oidc: {
      organisations: region.providerSpecs!.map((spec) => ({ id: spec.name, name: spec.displayName, issuer: region.providers!.issuers[spec.name]! })),
      clientId: WEB_CLIENT_ID,
      redirectUri: `${origin}/auth/callback`,
      postLogoutRedirectUri: `${origin}/`,
      verifier: createTokenVerifier(region.trust),
      allowInsecureRequests: true,
      timeoutSeconds: options.providerTimeoutSeconds,
    },
    now: options.now,
  });
  const web = await listen(app, webPort);
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

/** Signs in as a person would: choose the organisation, go to its provider, choose the demo account there, come back. */
export async function signIn(page: Page, origin: string, user: WebUser): Promise<void> {
  await page.goto(`${origin}/capacity`);
  await page.getByRole('button', { name: /Organisation/ }).click();
  await page.getByRole('option', { name: user.organisation, exact: true }).click();
  await page.getByRole('button', { name: 'Logga in hos organisationen', exact: true }).click();
  await page.getByRole('heading', { name: `Logga in hos ${user.organisation}` }).waitFor();
  await page.getByRole('button', { name: user.account, exact: true }).click();
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

/**
 * The gateway's answer to one of the web app's registered operations, asked by id as the web
 * server asks, with a token of the test's choosing: the expected side of a browser test.
 */
export async function apiOperation<T>(
  w: WebRegion,
  name: string,
  variables: Record<string, unknown>,
  authorization: Record<string, string>,
): Promise<{ data?: T; errors?: unknown[] }> {
  const operation = [...loadPersistedOperations(WEB_BUILD.persistedOperationsFile).values()].find((o) => o.name === name);
  if (!operation) throw new Error(`no registered operation named ${name}`);
  const response = await fetch(w.region.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization },
    body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } }),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}
