import { createTokenVerifier } from '@sodertorn/auth';
import { createGatewayServer, type GatewayServer } from '@sodertorn/gateway';
import { startTestShard, type TestShard } from '@sodertorn/municipality/testing';
import { SCHEMA_FILES } from '@sodertorn/schema';
import { createLogger, listen, ServiceTls, type Listening, type MunicipalityEntry } from '@sodertorn/service-kit';
import { DevCertificateAuthority, postGraphQL, testVerifierOptions, tokenFor, Role, writeRegionPki, type RegionPkiFiles } from '@sodertorn/testing';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';

// A real municipal deployment (its own database, the real schema) serving mutual TLS as a
// deployment does, and the real gateway calling it: every refusal below is made by TLS itself
// or by the shard's identity check, over loopback sockets.
const logger = createLogger('tls-test', 'silent');
const HUDDINGE = '0126';
let dir: string;
let pki: RegionPkiFiles;
let shard: TestShard;
let shardTls: ServiceTls;
const closers: (() => Promise<void> | void)[] = [];

/** TLS material of a region service with `certFile`/`keyFile` as its client certificate. */
function callerTls(files: { certFile: string; keyFile: string }): ServiceTls {
  const tls = new ServiceTls({ server: { kind: 'plain' }, clientCertificate: files, allowPlainHttp: false }, logger);
  closers.push(() => tls.close());
  return tls;
}

function writeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file); // replaced at once, as a rotation does
  return file;
}

/** Asks the shard for its municipality with a caseworker's token, over `tls`. */
async function askShard(tls: ServiceTls): Promise<{ status: number; body: unknown }> {
  const peer = tls.connect(shard.url, { caFile: pki.municipalities[HUDDINGE]!.caFile, identity: pki.municipalities[HUDDINGE]!.identity }, 'Huddinge');
  const response = await peer.fetch(shard.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(Role.CASEWORKER, HUDDINGE)}` },
    body: JSON.stringify({ query: '{ myMunicipality { code } }' }),
  });
  return { status: response.status, body: await response.json() };
}

async function startGateway(municipalities: MunicipalityEntry[]): Promise<{ server: GatewayServer; listening: Listening }> {
  const server = await createGatewayServer({
    supergraphSdl: readFileSync(SCHEMA_FILES.supergraph, 'utf8'),
    municipalitySdl: readFileSync(SCHEMA_FILES.municipality, 'utf8'),
    // No regional subgraph in this test: an address nobody answers on.
    regionalUrl: 'https://127.0.0.1:9/graphql',
    regionalTrust: { caFile: pki.regionCaFile, identity: pki.regional.identity },
    municipalities,
    shardTimeoutMs: 5_000,
    verifier: createTokenVerifier(await testVerifierOptions()),
    logger,
    tls: callerTls(pki.gateway),
  });
  const listening = await listen(server.app, 0);
  closers.push(async () => {
    await listening.close();
    await server.stop();
  });
  return { server, listening };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-shard-'));
  pki = await writeRegionPki(dir, [HUDDINGE, '0127']);
  const own = pki.municipalities[HUDDINGE]!;
  shardTls = new ServiceTls(
    {
      server: {
        kind: 'tls',
        certFile: own.certFile,
        keyFile: own.keyFile,
        clientCaFile: pki.regionCaFile,
        clientIdentities: [pki.gateway.identity, pki.regional.identity],
      },
      allowPlainHttp: false,
    },
    logger,
  );
  shard = await startTestShard(HUDDINGE, { seed: true, tls: shardTls });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await shard?.destroy();
  shardTls?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a municipal deployment over mutual TLS', () => {
  it('answers the regional subgraph, which presents the region’s certificate naming it', async () => {
    expect(shard.url).toMatch(/^https:/);
    expect(await askShard(callerTls(pki.regional))).toEqual({ status: 200, body: { data: { myMunicipality: { code: HUDDINGE } } } });
  });

  it('refuses a caller without a client certificate', async () => {
    const code = await new Promise<string>((resolve) => {
      const req = request(shard.url, { method: 'POST', ca: readFileSync(pki.municipalities[HUDDINGE]!.caFile), servername: 'localhost' }, () =>
        resolve('answered'),
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end('{"query":"{ __typename }"}');
    });
    expect(code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('refuses a certificate from another CA naming the gateway', async () => {
    const stranger = await DevCertificateAuthority.create('Some other CA');
    const forged = await stranger.issue({ identity: pki.gateway.identity });
    const tls = callerTls({ certFile: writeFile('forged.pem', forged.certPem), keyFile: writeFile('forged.key', forged.keyPem) });
    await expect(askShard(tls)).rejects.toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA|ECONNRESET)$/) });
  });

  it('refuses a valid certificate of the region naming another identity', async () => {
    const regionCa = await DevCertificateAuthority.open(readFileSync(pki.regionCaFile, 'utf8'), readFileSync(join(dir, 'region-ca.key'), 'utf8'));
    const other = await regionCa.issue({ identity: 'reporting.region.sodertorn.test' });
    const answer = await askShard(callerTls({ certFile: writeFile('other.pem', other.certPem), keyFile: writeFile('other.key', other.keyPem) }));
    expect(answer).toEqual({
      status: 403,
      body: {
        errors: [{ message: 'The client certificate does not name a service allowed to call this one.', extensions: { code: 'FORBIDDEN_CLIENT_CERTIFICATE' } }],
      },
    });
  });
});

describe('the gateway checks each shard’s certificate against its municipality', () => {
  it('uses a shard whose certificate chains to its municipality’s CA and names it, and refuses one that names another', async () => {
    const huddinge = pki.municipalities[HUDDINGE]!;
    // Botkyrka's registry entry points at Huddinge's deployment: right CA chain for the test, wrong identity.
    const { listening, server } = await startGateway([
      { code: HUDDINGE, name: 'Huddinge', url: shard.url, tls: { caFile: huddinge.caFile, identity: huddinge.identity } },
      { code: '0127', name: 'Botkyrka', url: shard.url, tls: { caFile: huddinge.caFile, identity: pki.municipalities['0127']!.identity } },
    ]);
    expect(await server.shards.verifyAll()).toEqual({ [HUDDINGE]: 'up', '0127': 'unverified' });
    const token = await tokenFor(Role.COORDINATOR);
    const ask = (code: string) =>
      postGraphQL(listening.url, `{ myMunicipality(municipalityCode: "${code}") { code } }`, {}, { authorization: `Bearer ${token}` });
    expect((await ask(HUDDINGE)).data).toEqual({ myMunicipality: { code: HUDDINGE } });
    expect((await ask('0127')).errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0127' }) }),
    ]);
  });

  it('refuses a shard whose certificate is not from its municipality’s CA', async () => {
    const { server } = await startGateway([
      { code: '0127', name: 'Botkyrka', url: shard.url, tls: { caFile: pki.municipalities['0127']!.caFile, identity: pki.municipalities[HUDDINGE]!.identity } },
    ]);
    expect(await server.shards.verifyAll()).toEqual({ '0127': 'unverified' });
  });
});

describe('certificate rotation', () => {
  it('serves a certificate swapped on disk without a restart, and the gateway keeps answering', async () => {
    const huddinge = pki.municipalities[HUDDINGE]!;
    const { listening } = await startGateway([
      { code: HUDDINGE, name: 'Huddinge', url: shard.url, tls: { caFile: huddinge.caFile, identity: huddinge.identity } },
    ]);
    const servedSerial = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ port: shard.port, host: '127.0.0.1', ca: readFileSync(huddinge.caFile), servername: huddinge.identity }, () => {
          resolve(socket.getPeerX509Certificate()!.serialNumber);
          socket.destroy();
        });
        socket.on('error', reject);
      });
    const before = await servedSerial();
    const municipalityCa = await DevCertificateAuthority.open(
      readFileSync(huddinge.caFile, 'utf8'),
      readFileSync(join(dir, 'municipality-0126-ca.key'), 'utf8'),
    );
    const renewed = await municipalityCa.issue({ identity: huddinge.identity, days: 30 });
    writeFileSync(`${huddinge.keyFile}.new`, renewed.keyPem);
    writeFileSync(`${huddinge.certFile}.new`, renewed.certPem);
    renameSync(`${huddinge.keyFile}.new`, huddinge.keyFile);
    renameSync(`${huddinge.certFile}.new`, huddinge.certFile);
    const expected = new X509Certificate(renewed.certPem).serialNumber;
    const deadline = Date.now() + 10_000;
    while ((await servedSerial()) !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await servedSerial()).toBe(expected);
    expect(before).not.toBe(expected);
    // New connections from the gateway get the new certificate; the answer is the same.
    const token = await tokenFor(Role.COORDINATOR);
    expect((await postGraphQL(listening.url, '{ myMunicipality(municipalityCode: "0126") { code } }', {}, { authorization: `Bearer ${token}` })).data).toEqual({
      myMunicipality: { code: HUDDINGE },
    });
  });
});
