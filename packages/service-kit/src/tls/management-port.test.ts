import type { BaseContext } from '@apollo/server';
import { DevCertificateAuthority } from '@sodertorn/testing';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGraphQLServer } from '../graphql-server';
import { createHttpApp, listen, type Listening } from '../http-app';
import { createLogger } from '../logger';
import { ServiceTls } from './service-tls';

// A service served as a shard is (mutual TLS on its port), with the plain-HTTP management port
// beside it that kubelet probes, the image's HEALTHCHECK and Prometheus use: real sockets, a real
// GraphQL endpoint that counts its resolver calls, certificates from a real (test) PKI.
const dir = mkdtempSync(join(tmpdir(), 'management-port-'));
const logger = createLogger('management-port-test', 'silent');
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const calls = { n: 0 };
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { secret: { type: GraphQLString, resolve: () => (calls.n++, 'personal data') } } }),
});

let shardCa: DevCertificateAuthority;
let regionCa: DevCertificateAuthority;
let tls: ServiceTls;
let apollo: ReturnType<typeof createGraphQLServer<BaseContext>>;
let ready = true;

async function start(): Promise<Listening> {
  return listen(
    createHttpApp<BaseContext>({
      apollo,
      logger,
      context: async () => ({}),
      ready: async () => {
        if (!ready) throw new Error('database down');
      },
    }),
    0,
    '127.0.0.1',
    tls,
    0,
  );
}

beforeAll(async () => {
  [shardCa, regionCa] = await Promise.all([DevCertificateAuthority.create('Municipality 0126 CA'), DevCertificateAuthority.create('Region CA')]);
  const own = await shardCa.issue({ identity: '0126.municipality.test' });
  tls = new ServiceTls(
    {
      server: {
        kind: 'tls',
        certFile: write('shard.pem', own.certPem),
        keyFile: write('shard.key', own.keyPem),
        clientCaFile: write('region-ca.pem', regionCa.certPem),
        clientIdentities: ['gateway.region.test'],
      },
      allowPlainHttp: false,
    },
    logger,
  );
  write('shard-ca.pem', shardCa.certPem); // what the region's caller trusts the shard by
  apollo = createGraphQLServer<BaseContext>({ schema, logger });
  await apollo.start();
});

afterAll(async () => {
  await apollo?.stop();
  tls?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request over TLS to the service's own port, trusting its CA but presenting no client certificate. */
function withoutClientCertificate(url: string, body?: string): Promise<string> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      url,
      { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, ca: shardCa.certPem, servername: '0126.municipality.test' },
      (res) => resolve(`answered ${res.statusCode}`),
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

describe('the management port beside a mutual-TLS port', () => {
  let service: Listening;
  beforeAll(async () => {
    service = await start();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers /health, /ready and /metrics over plain HTTP without any certificate', async () => {
    expect(service.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(service.management!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.management!.port).not.toBe(service.port);
    const health = await fetch(`${service.management!.url}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const readiness = await fetch(`${service.management!.url}/ready`);
    expect([readiness.status, await readiness.json()]).toEqual([200, { status: 'ready' }]);
    const metrics = await fetch(`${service.management!.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('tells a probe when the service is not ready (503), as the TLS port would', async () => {
    ready = false;
    try {
      expect((await fetch(`${service.management!.url}/ready`)).status).toBe(503);
      expect((await fetch(`${service.management!.url}/health`)).status).toBe(200);
    } finally {
      ready = true;
    }
  });

  it('serves nothing else: /graphql and every other path get 404, and no resolver runs', async () => {
    calls.n = 0;
    const post = await fetch(`${service.management!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ secret }' }),
    });
    expect(post.status).toBe(404);
    expect(await post.text()).not.toContain('personal data');
    for (const path of ['/graphql?query=%7Bsecret%7D', '/', '/health/../graphql', '/metrics/x', '/%2Fgraphql']) {
      expect([path, (await fetch(`${service.management!.url}${path}`)).status]).toEqual([path, 404]);
    }
    // A POST to a management path is no GET: refused too.
    expect((await fetch(`${service.management!.url}/health`, { method: 'POST' })).status).toBe(404);
    expect(calls.n).toBe(0);
  });

  it('leaves the TLS port as strict as before: no client certificate, no HTTP at all — /graphql and /health alike', async () => {
    calls.n = 0;
    const base = service.url.replace(/\/graphql$/, '');
    expect(await withoutClientCertificate(service.url, JSON.stringify({ query: '{ secret }' }))).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(await withoutClientCertificate(`${base}/health`)).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(calls.n).toBe(0);
  });

  it('the region’s client certificate still reaches /graphql on the TLS port', async () => {
    const gateway = await regionCa.issue({ identity: 'gateway.region.test' });
    const caller = new ServiceTls(
      {
        server: { kind: 'plain' },
        clientCertificate: { certFile: write('gw.pem', gateway.certPem), keyFile: write('gw.key', gateway.keyPem) },
        allowPlainHttp: false,
      },
      logger,
    );
    try {
      const peer = caller.connect(service.url, { caFile: join(dir, 'shard-ca.pem'), identity: '0126.municipality.test' }, 'shard');
      const answer = await peer.fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ secret }' }),
      });
      expect([answer.status, await answer.json()]).toEqual([200, { data: { secret: 'personal data' } }]);
    } finally {
      caller.close();
    }
  });
});

describe('draining with a management port', () => {
  it('answers /ready with 503 on the management port as soon as the drain starts, then closes both ports', async () => {
    const service = await start();
    const management = service.management!.url;
    expect((await fetch(`${management}/ready`)).status).toBe(200);
    const drained = service.drain({ delayMs: 300, timeoutMs: 1_000 });
    const during = await fetch(`${management}/ready`);
    expect([during.status, await during.json()]).toEqual([503, { status: 'draining' }]);
    expect(await drained).toEqual({ inFlightAtClose: 0, cut: 0 });
    await expect(fetch(`${management}/health`)).rejects.toThrow();
  });
});
