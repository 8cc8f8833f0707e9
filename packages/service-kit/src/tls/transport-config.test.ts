import { ConfigError } from '../config';
import { parseTransportEnv } from './transport-config';

const tls = { TLS_CERT_FILE: '/certs/shard.pem', TLS_KEY_FILE: '/certs/shard.key' };
const mutual = { ...tls, TLS_CA_FILE: '/certs/region-ca.pem', TLS_CLIENT_IDENTITIES: 'gateway.region.test, regional.region.test' };

function problemOf(source: NodeJS.ProcessEnv, requireClientCertificates = true): string {
  try {
    parseTransportEnv('municipality subgraph', source, { requireClientCertificates });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('an ambiguous transport was accepted');
}

describe('parseTransportEnv', () => {
  it('serves mutual TLS with the certificate, the clients’ CA and the allowed identities', () => {
    expect(parseTransportEnv('shard', mutual, { requireClientCertificates: true })).toEqual({
      server: {
        kind: 'tls',
        certFile: '/certs/shard.pem',
        keyFile: '/certs/shard.key',
        clientCaFile: '/certs/region-ca.pem',
        clientIdentities: ['gateway.region.test', 'regional.region.test'],
      },
      clientCertificate: { certFile: '/certs/shard.pem', keyFile: '/certs/shard.key' },
      allowPlainHttp: false,
    });
  });

  it('presents a separate client certificate when one is given', () => {
    const parsed = parseTransportEnv(
      'gateway',
      { ...tls, TLS_CLIENT_CERT_FILE: '/c/client.pem', TLS_CLIENT_KEY_FILE: '/c/client.key' },
      { requireClientCertificates: false },
    );
    expect(parsed.server).toEqual({ kind: 'tls', certFile: '/certs/shard.pem', keyFile: '/certs/shard.key' });
    expect(parsed.clientCertificate).toEqual({ certFile: '/c/client.pem', keyFile: '/c/client.key' });
  });

  it('serves plain HTTP only when told so, on a loopback address', () => {
    expect(parseTransportEnv('gateway', { ALLOW_PLAIN_HTTP: 'true' }, { requireClientCertificates: true })).toEqual({
      server: { kind: 'plain' },
      clientCertificate: undefined,
      allowPlainHttp: true,
    });
    expect(problemOf({ ALLOW_PLAIN_HTTP: 'true', HOST: '0.0.0.0' })).toContain('ALLOW_PLAIN_HTTP=true is only for loopback development; HOST is 0.0.0.0');
  });

  it('refuses to guess when neither TLS nor plain HTTP is chosen', () => {
    expect(problemOf({})).toContain('TLS_CERT_FILE and TLS_KEY_FILE are required: set them to serve HTTPS, or ALLOW_PLAIN_HTTP=true');
  });

  it('refuses TLS and plain HTTP both', () => {
    expect(problemOf({ ...mutual, ALLOW_PLAIN_HTTP: 'true' })).toContain('ALLOW_PLAIN_HTTP=true and TLS_CERT_FILE are both set');
  });

  it('refuses a certificate without its key, and a key without its certificate', () => {
    expect(problemOf({ TLS_CERT_FILE: '/c.pem', ALLOW_PLAIN_HTTP: 'false' })).toContain('TLS_CERT_FILE and TLS_KEY_FILE go together');
    expect(problemOf({ ...mutual, TLS_CLIENT_KEY_FILE: '/k' })).toContain('TLS_CLIENT_CERT_FILE and TLS_CLIENT_KEY_FILE go together');
  });

  it('refuses clients’ CAs without identities, and identities without CAs', () => {
    expect(problemOf({ ...tls, TLS_CA_FILE: '/ca.pem' })).toContain('TLS_CA_FILE and TLS_CLIENT_IDENTITIES go together');
    expect(problemOf({ ...tls, TLS_CLIENT_IDENTITIES: 'gateway.region.test' })).toContain('TLS_CA_FILE and TLS_CLIENT_IDENTITIES go together');
  });

  it('refuses a shard over TLS without client certificates, but lets the gateway serve without', () => {
    expect(problemOf(tls)).toContain('TLS_CA_FILE is required');
    expect(parseTransportEnv('gateway', tls, { requireClientCertificates: false }).server.kind).toBe('tls');
  });

  it('reads MANAGEMENT_PORT (the plain-HTTP port of /health, /ready and /metrics), absent unless set', () => {
    expect(parseTransportEnv('shard', { ...mutual, MANAGEMENT_PORT: '8081' }, { requireClientCertificates: true }).managementPort).toBe(8081);
    expect(parseTransportEnv('shard', mutual, { requireClientCertificates: true })).not.toHaveProperty('managementPort');
    expect(problemOf({ ...mutual, MANAGEMENT_PORT: 'health' })).toContain('MANAGEMENT_PORT: must be a TCP port');
    expect(problemOf({ ...mutual, PORT: '8080', MANAGEMENT_PORT: '8080' })).toContain('MANAGEMENT_PORT is 8080, the same as PORT');
  });
});
