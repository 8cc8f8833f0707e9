import { loadGatewayConfig } from './config';

const VALID = {
  REGIONAL_SUBGRAPH_URL: 'http://127.0.0.1:4100/graphql',
  AUTH_ISSUER: 'https://issuer.example',
  AUTH_AUDIENCE: 'sodertorn-federation',
  AUTH_JWKS_URL: 'https://issuer.example/jwks',
  ALLOW_PLAIN_HTTP: 'true',
};

describe('loadGatewayConfig: shard resilience', () => {
  it('defaults to 1 retry from 50 ms and a breaker of 5 failures for 10 000 ms', () => {
    const config = loadGatewayConfig(VALID);
    expect(config.shardRetry).toEqual({ retries: 1, baseMs: 50 });
    expect(config.shardBreaker).toEqual({ failureThreshold: 5, cooldownMs: 10_000 });
  });

  it('reads the variables, 0 retries included', () => {
    const config = loadGatewayConfig({
      ...VALID,
      SHARD_RETRIES: '0',
      SHARD_RETRY_BASE_MS: '0',
      SHARD_BREAKER_FAILURES: '3',
      SHARD_BREAKER_COOLDOWN_MS: '2500',
    });
    expect(config.shardRetry).toEqual({ retries: 0, baseMs: 0 });
    expect(config.shardBreaker).toEqual({ failureThreshold: 3, cooldownMs: 2500 });
  });

  it.each([
    ['SHARD_RETRIES', '-1', /SHARD_RETRIES: must be a whole number, 0 or more/],
    ['SHARD_RETRIES', 'often', /SHARD_RETRIES: must be a whole number, 0 or more/],
    ['SHARD_RETRY_BASE_MS', '1.5', /SHARD_RETRY_BASE_MS: must be a whole number of milliseconds/],
    ['SHARD_BREAKER_FAILURES', '0', /SHARD_BREAKER_FAILURES: must be a positive whole number/],
    ['SHARD_BREAKER_COOLDOWN_MS', '0', /SHARD_BREAKER_COOLDOWN_MS: must be a positive whole number of milliseconds/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => loadGatewayConfig({ ...VALID, [name]: value })).toThrow(message);
  });
});

describe('loadGatewayConfig: draining on SIGTERM', () => {
  it('takes requests for 0 ms after /ready turns 503 and waits up to 10 000 ms for those in flight, unless told otherwise', () => {
    expect(loadGatewayConfig(VALID).drain).toEqual({ delayMs: 0, timeoutMs: 10_000 });
    expect(loadGatewayConfig({ ...VALID, DRAIN_DELAY_MS: '5000', DRAIN_TIMEOUT_MS: '20000' }).drain).toEqual({ delayMs: 5000, timeoutMs: 20_000 });
  });

  it.each(['DRAIN_DELAY_MS', 'DRAIN_TIMEOUT_MS'])('refuses %s that is no whole number of milliseconds', (name) => {
    expect(() => loadGatewayConfig({ ...VALID, [name]: '-5' })).toThrow(new RegExp(`${name}: must be a whole number of milliseconds, 0 or more`));
  });
});

describe('loadGatewayConfig: trusted documents', () => {
  it('refuses TRUSTED_DOCUMENTS_REQUIRED without the manifest that says which documents are trusted', () => {
    expect(() => loadGatewayConfig({ ...VALID, TRUSTED_DOCUMENTS_REQUIRED: 'true' })).toThrow(/TRUSTED_DOCUMENTS_REQUIRED: needs PERSISTED_OPERATIONS_FILE/);
  });

  it('takes the requirement with its manifest, and the manifest alone', () => {
    const both = loadGatewayConfig({ ...VALID, TRUSTED_DOCUMENTS_REQUIRED: 'true', PERSISTED_OPERATIONS_FILE: '/etc/web/persisted-operations.json' });
    expect([both.trustedDocumentsRequired, both.persistedOperationsFile]).toEqual([true, '/etc/web/persisted-operations.json']);
    const manifestOnly = loadGatewayConfig({ ...VALID, PERSISTED_OPERATIONS_FILE: '/etc/web/persisted-operations.json' });
    expect(manifestOnly.trustedDocumentsRequired).toBe(false);
  });
});
