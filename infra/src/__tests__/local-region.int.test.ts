import { DevIssuer, Role } from '@sodertorn/auth';
import { dropServiceDatabase } from '@sodertorn/postgres';
import { adminDatabaseUrl, callAsRegionService, postGraphQL } from '@sodertorn/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRegion, type LocalRegion } from '../local-region';
import { loadRunnerConfig } from '../config';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether a service answers its readiness probe at the address it was started on. */
const answers = async (graphqlUrl: string) => {
  try {
    const response = await fetch(new URL('/health', graphqlUrl), { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
};

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What `npm start` does, against the test server: real processes, real ports, real databases. */
describe('Local runner: the whole region as separate processes', () => {
  const prefix = `runner${process.pid}`;
  let region: LocalRegion;
  const lines: string[] = [];
  /** A coordinator's token from the runner's own region identity provider, which every service it starts trusts. */
  const coordinator = async () => ({
    authorization: `Bearer ${await region.identity.token({ sub: 'coordinator-test', roles: [Role.COORDINATOR] })}`,
  });

  beforeAll(async () => {
    const config = loadRunnerConfig({ DATABASE_URL: adminDatabaseUrl(), GATEWAY_PORT: '0', LOG_LEVEL: 'warn' });
    region = await startLocalRegion(config, '2026-11-27', (line) => lines.push(line), {
      databasePrefix: prefix,
      logDir: mkdtempSync(join(tmpdir(), 'runner-logs-')),
      certificateDir: mkdtempSync(join(tmpdir(), 'runner-certificates-')),
      identityDir: mkdtempSync(join(tmpdir(), 'runner-identity-')),
    });
    // Every service speaks TLS, the shards and the regional subgraph only mutual TLS: this test calls as the gateway does.
    callAsRegionService(region.certificates);
  }, 120_000);

  afterAll(async () => {
    await region?.stop();
    for (const service of ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192', 'regional']) {
      await dropServiceDatabase(adminDatabaseUrl(), `${prefix}_${service}`);
    }
  });

  it('reports seeding progress for every municipality', () => {
    expect(lines.filter((line) => /\[\d\/8\] \d{4} .+: \d+ participants, \d+ housing units, \d+ bookings/.test(line))).toHaveLength(8);
  });

  it('runs eight municipal deployments, the regional subgraph and the gateway, each its own process', () => {
    expect(region.services.map((s) => s.name).sort()).toEqual([
      'gateway',
      'municipality-0126',
      'municipality-0127',
      'municipality-0128',
      'municipality-0136',
      'municipality-0138',
      'municipality-0140',
      'municipality-0181',
      'municipality-0192',
      'regional',
    ]);
    expect(new Set(region.services.map((s) => s.pid)).size).toBe(10);
    expect(region.services.every((s) => isAlive(s.pid))).toBe(true);
  });

  it('answers the region-wide capacity query for all eight', async () => {
    const result = await postGraphQL(
      region.gatewayUrl,
      `{ region { municipalities { code housingUnits { id freePlaces(from: "2026-12-01", to: "2026-12-15") } } } }`,
      {},
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.region.municipalities.map((m: { housingUnits: unknown[] }) => m.housingUnits.length >= 5)).toEqual(Array(8).fill(true));
  });

  it('serves the web app, whose sign-in goes to the chosen organisation’s provider with PKCE', async () => {
    const options = (await (await fetch(new URL('/auth/options', region.webUrl))).json()) as { organisations: { id: string; name: string }[] };
    expect(options.organisations.map((o) => o.id)).toEqual(['region', '0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192']);
    expect(options.organisations.find((o) => o.id === '0126')?.name).toBe('Huddinge kommun');
    const signIn = await fetch(new URL('/auth/sign-in?organisation=0126', region.webUrl), { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const to = new URL(signIn.headers.get('location')!);
    expect(to.origin).toBe(new URL(region.identity.providers.issuers['0126']!).origin);
    expect(Object.fromEntries(['client_id', 'response_type', 'code_challenge_method', 'redirect_uri'].map((k) => [k, to.searchParams.get(k)]))).toEqual({
      client_id: 'web',
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: new URL('/auth/callback', region.webUrl).toString(),
    });
    // The provider accepts the request (registered redirect URI, PKCE) and shows its login page's interaction.
    const atProvider = await fetch(to, { redirect: 'manual' });
    expect(atProvider.status).toBe(303);
    expect(atProvider.headers.get('location')).toMatch(/^\/interaction\//);
  });

  it('refuses a request without a token with HTTP 401, and returns no data', async () => {
    const result = await postGraphQL(region.gatewayUrl, `{ region { municipalities { code housingUnits { id } } } }`);
    expect(result.status).toBe(401);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token from another issuer key with HTTP 401', async () => {
    const stranger = await DevIssuer.open(join(mkdtempSync(join(tmpdir(), 'stranger-issuer-')), 'key.json'));
    const token = await stranger.mint({ sub: 'coordinator-test', roles: [Role.COORDINATOR] });
    const result = await postGraphQL(region.gatewayUrl, `{ region { municipalities { code } } }`, {}, { authorization: `Bearer ${token}` });
    expect(result.status).toBe(401);
    expect(result.data ?? null).toBeNull();
  });

  it('keeps serving the other seven when one municipal process is killed', async () => {
    const victim = region.services.find((s) => s.name === 'municipality-0136')!;
    process.kill(victim.pid, 'SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    const result = await postGraphQL(region.gatewayUrl, `{ region { municipalities { code housingUnits { id } } } }`, {}, await coordinator());
    const down = result.data!.region.municipalities.filter((m: { housingUnits: unknown }) => m.housingUnits === null);
    expect(down.map((m: { code: string }) => m.code)).toEqual(['0136']);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0136' });
  });

  it('restarts a killed service after a back-off, on the same port, and says which, why, when and its new pid', async () => {
    const victim = region.services.find((s) => s.name === 'municipality-0136')!;
    const killedPid = victim.pid;
    // Killed by the test before: wait until its restart answers (a restart still starting has its new pid already).
    await waitFor(async () => victim.pid !== killedPid && (await answers(victim.url)), 60_000);
    const before = victim.pid;
    const mark = lines.length;
    process.kill(before, 'SIGKILL');
    await waitFor(async () => victim.pid !== before && (await answers(victim.url)), 60_000);
    expect(isAlive(victim.pid)).toBe(true);
    expect(isAlive(before)).toBe(false);
    const said = lines.slice(mark);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^! municipality-0136 stopped unexpectedly \(killed by SIGKILL\) after \d+ s; restarting it in \d+ s, at \d\d:\d\d:\d\d\. Its log: .+municipality-0136\.log$/,
        ),
        `municipality-0136 is running again: pid ${victim.pid}, ${victim.url}`,
      ]),
    );
    // The gateway finds it again at the same address.
    await waitFor(async () => {
      const result = await postGraphQL(region.gatewayUrl, `{ region { municipalities { code housingUnits { id } } } }`, {}, await coordinator());
      return result.errors === undefined && result.data!.region.municipalities.every((m: { housingUnits: unknown }) => m.housingUnits !== null);
    }, 30_000);
  });

  it('stops every process it started, and restarts none once told to stop, not even one killed just before', async () => {
    const victim = region.services.find((s) => s.name === 'municipality-0127')!;
    const killedPid = victim.pid;
    const mark = lines.length;
    process.kill(killedPid, 'SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    const pids = region.services.map((s) => s.pid);
    await region.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    // Past the restart it had been scheduled for: nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(victim.pid).toBe(killedPid);
    expect(await answers(victim.url)).toBe(false);
    expect(lines.slice(mark).filter((line) => line.includes('is running again'))).toEqual([]);
    expect(region.services.map((s) => s.pid).filter(isAlive)).toEqual([]);
  });
});
