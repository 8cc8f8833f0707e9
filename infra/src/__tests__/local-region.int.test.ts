import { DevIssuer, Role } from '@sodertorn/auth';
import { dropServiceDatabase } from '@sodertorn/postgres';
import { adminDatabaseUrl, postGraphQL } from '@sodertorn/testing';
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

/** What `npm start` does, against the test server: real processes, real ports, real databases. */
describe('Local runner: the whole region as separate processes', () => {
  const prefix = `runner${process.pid}`;
  let region: LocalRegion;
  const lines: string[] = [];
  /** A coordinator's token from the runner's own development issuer, which every service it starts trusts. */
  const coordinator = async () => ({
    authorization: `Bearer ${await region.identity.issuer.mint({ sub: 'coordinator-test', roles: [Role.COORDINATOR], expiresIn: '5m' })}`,
  });

  beforeAll(async () => {
    const config = loadRunnerConfig({ DATABASE_URL: adminDatabaseUrl(), GATEWAY_PORT: '0', LOG_LEVEL: 'warn' });
    region = await startLocalRegion(config, '2026-11-27', (line) => lines.push(line), {
      databasePrefix: prefix,
      logDir: mkdtempSync(join(tmpdir(), 'runner-logs-')),
    });
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
      'gateway', 'municipality-0126', 'municipality-0127', 'municipality-0128', 'municipality-0136',
      'municipality-0138', 'municipality-0140', 'municipality-0181', 'municipality-0192', 'regional',
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

  it('stops every process it started', async () => {
    const pids = region.services.map((s) => s.pid);
    await region.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
