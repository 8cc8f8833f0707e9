import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sodertorn/service-kit';
import { exactSdlCheck } from './schema-check';
import { ShardClient } from './shard-client';
import type { ShardTlsOptions, TlsSource } from './tls';

const SDL = 'type Query { a: Int }';

/** A real CA (openssl), a server certificate for 127.0.0.1 and a client certificate, both issued by it. */
interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

let dir: string;
let pki: Pki;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function issue(name: string, subject: string, extensions: string): void {
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shard-client-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Test region CA',
  );
  issue('server', '/CN=0127.test', 'subjectAltName=IP:127.0.0.1,DNS:0127.test\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=regional.test', 'extendedKeyUsage=clientAuth\n');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  pki = { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const servers: Server[] = [];
const clients: ShardClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))));
});

/** An HTTPS deployment; with `mutual`, it accepts only clients with a certificate from the test CA. */
async function httpsShard(mutual = false): Promise<string> {
  const server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: mutual, rejectUnauthorized: mutual }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _service: { sdl: SDL } } })));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function client(url: string, tls?: TlsSource): ShardClient {
  const c = new ShardClient({
    municipalities: [{ code: '0127', name: 'Kommun 0127', url, tls }],
    timeoutMs: 2_000,
    schemaCheck: exactSdlCheck(SDL),
    logger: createLogger('test', 'silent'),
  });
  clients.push(c);
  return c;
}

describe('ShardClient over TLS', () => {
  it("trusts a shard's certificate only through the CA configured for its municipality", async () => {
    const url = await httpsShard();
    expect(await client(url).verifyAll()).toEqual({ '0127': 'unverified' });
    expect(await client(url, { ca: pki.ca }).verifyAll()).toEqual({ '0127': 'up' });
  });

  it("checks the server certificate's identity with the given check", async () => {
    const url = await httpsShard();
    const expect0128 = (_host: string, cert: PeerCertificate) => (cert.subject.CN === '0128.test' ? undefined : new Error('not 0128'));
    expect(await client(url, { ca: pki.ca, checkServerIdentity: expect0128 }).verifyAll()).toEqual({ '0127': 'unverified' });
  });

  it('sends the client certificate a mutual-TLS shard demands', async () => {
    const url = await httpsShard(true);
    expect(await client(url, { ca: pki.ca }).verifyAll()).toEqual({ '0127': 'unverified' });
    expect(await client(url, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }).verifyAll()).toEqual({ '0127': 'up' });
  });

  it('reads options given as a function for each new connection (a reloaded certificate is used without a restart)', async () => {
    const url = await httpsShard(true);
    let current: ShardTlsOptions = { ca: pki.ca };
    const c = client(url, () => current);
    expect(await c.verifyAll()).toEqual({ '0127': 'unverified' });
    current = { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey };
    expect(await c.verifyAll()).toEqual({ '0127': 'up' });
  });
});
