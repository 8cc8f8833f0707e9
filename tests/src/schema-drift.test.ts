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

describe('Gateway: a deployment whose SDL drifted from the supergraph', () => {
  let region: TestRegion;
  let drifted: { url: string; server: Server };
  const received: string[] = [];

  beforeAll(async () => {
    drifted = await startDriftedShard(received);
    region = await startTestRegion({ seed: true, gatewayUrlOverrides: { '0192': drifted.url } });
  });
  afterAll(async () => {
    await region.destroy();
    drifted.server.close();
  });

  it('is detected at start and reported as drifted', async () => {
    const shards = (await (await fetch(region.gateway.url.replace('/graphql', '/shards'))).json()) as { municipalityCode: string; state: string }[];
    expect(shards.find((s) => s.municipalityCode === '0192')!.state).toBe('drifted');
    expect(shards.filter((s) => s.state === 'up')).toHaveLength(7);
  });

  it('is never sent data requests; its municipality fails alone', async () => {
    const result = await postGraphQL(region.gateway.url, `{ region { municipalities { code housingUnits { id } } } }`, {}, await bearer(Role.COORDINATOR));
    const byCode = Object.fromEntries((result.data!.region.municipalities as { code: string; housingUnits: unknown }[]).map((m) => [m.code, m.housingUnits]));
    expect(byCode['0192']).toBeNull();
    expect(byCode['0126']).not.toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0192' }) }),
    ]);
    expect(result.errors![0]!.message).toMatch(/differs from the supergraph/);
    expect(received.every((query) => query.includes('_service'))).toBe(true);
  });
});
