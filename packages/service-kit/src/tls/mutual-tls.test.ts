import { DevCertificateAuthority } from '@sodertorn/testing';
import express from 'express';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:https';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { Registry } from 'prom-client';
import { listen, type Listening } from '../http-app';
import { createLogger } from '../logger';
import { registerCertificateExpiry } from './expiry-gauge';
import { ServiceTls } from './service-tls';

// Real TLS on loopback sockets: a tiny HTTPS app that answers who called it, served
// with mutual TLS as a shard serves, and called through PeerConnection as the region calls.
const dir = mkdtempSync(join(tmpdir(), 'mutual-tls-'));
const logger = createLogger('mutual-tls-test', 'silent');
const write = (name: string, text: string) => {
  const file = join(dir, name);
  // Written beside, then renamed over: how a rotation tool (or Kubernetes) replaces a file.
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return file;
};

let regionCa: DevCertificateAuthority;
let shardCa: DevCertificateAuthority;
let strangerCa: DevCertificateAuthority;
let shardTls: ServiceTls;
let shard: Listening;
const opened: ServiceTls[] = [];

/** A caller holding `certificate`, trusting `trustFile` for a server that must name `identity`. */
function caller(certificate: { certPem: string; keyPem: string }, name: string, trust: { caFile: string; identity: string }) {
  const tls = new ServiceTls(
    {
      server: { kind: 'plain' },
      clientCertificate: { certFile: write(`${name}.pem`, certificate.certPem), keyFile: write(`${name}.key`, certificate.keyPem) },
      allowPlainHttp: false,
    },
    logger,
  );
  opened.push(tls);
  return tls.connect(shard.url, trust, `shard for ${name}`);
}

const whoAmI = (peer: ReturnType<typeof caller>) => peer.fetch(shard.url).then(async (response) => ({ status: response.status, body: await response.json() }));

beforeAll(async () => {
  [regionCa, shardCa, strangerCa] = await Promise.all([
    DevCertificateAuthority.create('Region CA'),
    DevCertificateAuthority.create('Municipality 0126 CA'),
    DevCertificateAuthority.create('Stranger CA'),
  ]);
  const own = await shardCa.issue({ identity: '0126.municipality.test' });
  shardTls = new ServiceTls(
    {
      server: {
        kind: 'tls',
        certFile: write('shard.pem', own.certPem),
        keyFile: write('shard.key', own.keyPem),
        clientCaFile: write('region-ca.pem', regionCa.certPem),
        clientIdentities: ['gateway.region.test', 'regional.region.test'],
      },
      allowPlainHttp: false,
    },
    logger,
  );
  write('shard-ca.pem', shardCa.certPem);
  write('stranger-ca.pem', strangerCa.certPem);
  const app = express();
  app.get('/graphql', (req, res) => {
    const socket = req.socket as TLSSocket;
    res.json({ caller: socket.getPeerX509Certificate()?.subject, protocol: socket.getProtocol() });
  });
  shard = await listen(app, 0, '127.0.0.1', shardTls);
});

afterAll(async () => {
  await shard?.close();
  shardTls?.close();
  opened.forEach((tls) => tls.close());
  rmSync(dir, { recursive: true, force: true });
});

const shardTrust = () => ({ caFile: join(dir, 'shard-ca.pem'), identity: '0126.municipality.test' });

describe('mutual TLS between the region and a shard', () => {
  it('serves HTTPS and answers a caller with a certificate of the region naming an allowed identity, over TLS 1.3', async () => {
    const gateway = caller(await regionCa.issue({ identity: 'gateway.region.test' }), 'gateway', shardTrust());
    expect(shard.url).toMatch(/^https:\/\//);
    expect(await whoAmI(gateway)).toEqual({ status: 200, body: { caller: 'CN=gateway.region.test', protocol: 'TLSv1.3' } });
  });

  it('refuses a caller without a client certificate in the handshake', async () => {
    const anonymous = await fetch(shard.url).catch((error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message);
    expect(anonymous).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|CERTIFICATE_REQUIRED/);
    // With the shard's CA trusted (so the server side is fine), the missing client certificate is what fails.
    const refused = await new Promise<string>((resolve) => {
      const req = request(shard.url, { ca: shardCa.certPem, servername: '0126.municipality.test', checkServerIdentity: () => undefined }, () =>
        resolve('answered'),
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(refused).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('refuses a client certificate from another CA, even naming an allowed identity', async () => {
    const impostor = caller(await strangerCa.issue({ identity: 'gateway.region.test' }), 'impostor', shardTrust());
    // Node ends the connection once the handshake shows the chain unverified: the client sees a reset.
    await expect(whoAmI(impostor)).rejects.toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA|ECONNRESET)$/) });
    // The same identity from the region's CA is answered: the CA alone made the difference.
    const genuine = caller(await regionCa.issue({ identity: 'gateway.region.test' }), 'genuine', shardTrust());
    expect((await whoAmI(genuine)).status).toBe(200);
  });

  it('refuses a valid certificate of the region naming another identity, with 403', async () => {
    const other = caller(await regionCa.issue({ identity: 'reporting.region.test' }), 'other', shardTrust());
    const answer = await whoAmI(other);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      errors: [{ message: 'The client certificate does not name a service allowed to call this one.', extensions: { code: 'FORBIDDEN_CLIENT_CERTIFICATE' } }],
    });
  });

  it('refuses a shard whose certificate names another municipality, or comes from another CA', async () => {
    const certificate = await regionCa.issue({ identity: 'regional.region.test' });
    const expectingBotkyrka = caller(certificate, 'expects-0127', { caFile: join(dir, 'shard-ca.pem'), identity: '0127.municipality.test' });
    await expect(whoAmI(expectingBotkyrka)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const trustingStranger = caller(certificate, 'trusts-stranger', { caFile: join(dir, 'stranger-ca.pem'), identity: '0126.municipality.test' });
    await expect(whoAmI(trustingStranger)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('uses a certificate swapped on disk without a restart, and shows its days left', async () => {
    const gateway = caller(await regionCa.issue({ identity: 'gateway.region.test' }), 'gateway-2', shardTrust());
    const served = () =>
      new Promise<string>((resolve, reject) => {
        // Only the server's certificate is looked at: no client certificate is needed to see it.
        const socket = connect({ port: shard.port, host: '127.0.0.1', ca: shardCa.certPem, servername: 'localhost' }, () => {
          resolve(socket.getPeerX509Certificate()!.serialNumber);
          socket.destroy();
        });
        socket.on('error', reject);
      });
    const metrics = new Registry();
    registerCertificateExpiry(metrics, shardTls);
    const before = await served();
    const renewed = await shardCa.issue({ identity: '0126.municipality.test', days: 10 });
    write('shard.key', renewed.keyPem);
    write('shard.pem', renewed.certPem);
    const expected = new X509Certificate(renewed.certPem).serialNumber;
    await waitFor(async () => (await served()) === expected);
    expect(before).not.toBe(expected);
    expect((await whoAmI(gateway)).status).toBe(200);
    expect(await metrics.getSingleMetricAsString('tls_certificate_expiry_days')).toMatch(/tls_certificate_expiry_days\{certificates="server"\} (9\.9\d|10)\n/);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
