import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestRegion, type TestRegion } from './support/test-region';

/** A deployment of an older build: it answers, but with another schema. */
function startDriftedShard(received: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body).query);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { _service: { sdl: 'type Query { participants: [String] }' } } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server })),
  );
}

/**
 * A municipality that upgraded ahead of the others and of the gateway, as an additive release
 * looks from outside: a proxy in front of its real deployment that adds a field and an optional
 * argument to the SDL it reports, and passes everything else through unchanged.
 */
function startUpgradedShard(reported: string[]): Promise<{ url: string; server: Server; setTarget(url: string): void }> {
  let target: string | undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      if (!target) return void res.writeHead(503).end();
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'content-length' && name !== 'host')) as Record<
        string,
        string
      >;
      const answer = await fetch(target, { method: 'POST', headers, body });
      const json = (await answer.json()) as { data?: { _service?: { sdl: string } } };
      if (json.data?._service) {
        json.data._service.sdl = json.data._service.sdl
          .replace(/^type Query \{/m, 'type Query {\n  releaseNotes(language: String): [String!]')
          .replace(/^\s*auditLog\(/m, '  auditLog(\n    includeSystem: Boolean\n');
        reported.push(json.data._service.sdl);
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server, setTarget: (url) => (target = url) }),
    ),
  );
}

describe('Gateway: a deployment whose SDL drifted from the supergraph', () => {
  let region: TestRegion;
  let drifted: { url: string; server: Server };
  let upgraded: Awaited<ReturnType<typeof startUpgradedShard>>;
  const received: string[] = [];
  const reportedSdl: string[] = [];

  beforeAll(async () => {
    drifted = await startDriftedShard(received);
    upgraded = await startUpgradedShard(reportedSdl);
    region = await startTestRegion({ seed: true, gatewayUrlOverrides: { '0192': drifted.url, '0138': upgraded.url } });
    // Its real deployment exists only now; until its first use the gateway holds it unverified.
    upgraded.setTarget(region.shards.get('0138')!.url);
  });
  afterAll(async () => {
    await region.destroy();
    drifted.server.close();
    upgraded.server.close();
  });

  it('is detected at start and reported as drifted', async () => {
    const shards = (await (await fetch(region.gateway.url.replace('/graphql', '/shards'))).json()) as { municipalityCode: string; state: string }[];
    expect(shards.find((s) => s.municipalityCode === '0192')!.state).toBe('drifted');
    expect(shards.find((s) => s.municipalityCode === '0138')!.state).toBe('unverified');
    expect(shards.filter((s) => s.state === 'up')).toHaveLength(6);
  });

  it('serves a deployment upgraded ahead of the others with an additive change', async () => {
    const result = await postGraphQL(region.gateway.url, `{ region { municipalities { code housingUnits { id } } } }`, {}, await bearer(Role.COORDINATOR));
    const upgradedUnits = (result.data!.region.municipalities as { code: string; housingUnits: unknown[] | null }[]).find((m) => m.code === '0138')!;
    expect(upgradedUnits.housingUnits!.length).toBeGreaterThan(0);
    const shards = (await (await fetch(region.gateway.url.replace('/graphql', '/shards'))).json()) as { municipalityCode: string; state: string }[];
    expect(shards.find((s) => s.municipalityCode === '0138')!.state).toBe('up');
    expect(reportedSdl.at(-1)).toMatch(/releaseNotes\(language: String\)[\s\S]*auditLog\(\s+includeSystem: Boolean/);
  });

  it('is never sent data requests; its municipality fails alone', async () => {
    const result = await postGraphQL(region.gateway.url, `{ region { municipalities { code housingUnits { id } } } }`, {}, await bearer(Role.COORDINATOR));
    const byCode = Object.fromEntries((result.data!.region.municipalities as { code: string; housingUnits: unknown }[]).map((m) => [m.code, m.housingUnits]));
    expect(byCode['0192']).toBeNull();
    expect(byCode['0126']).not.toBeNull();
    expect(byCode['0138']).not.toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0192' }) }),
    ]);
    expect(result.errors![0]!.message).toMatch(/lacks what the supergraph routes to it/);
    expect(received.every((query) => query.includes('_service'))).toBe(true);
  });
});
