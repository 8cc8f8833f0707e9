import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { AuthenticationError } from '@sodertorn/errors';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer';
import type { Identity } from './identity';
import { Role } from './roles';
import { VerifiedTokens } from './verified-tokens';
import { createTokenVerifier, type TokenVerifierOptions } from './verifier';

// jose's jwtVerify, still doing its work, counted: how many signatures the verifier really checked.
jest.mock('jose', () => {
  const actual = jest.requireActual<typeof import('jose')>('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});
const signatureChecks = jwtVerify as jest.MockedFunction<typeof jwtVerify>;

const identity = (sub: string): Identity => ({ sub, municipality: '0126', roles: [Role.CASEWORKER], token: `token-of-${sub}` });
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('VerifiedTokens', () => {
  it('remembers a token until its exp, and not from its exp on', () => {
    const cache = new VerifiedTokens({ maxAgeMs: 3_600_000 });
    cache.remember('a', identity('a'), T0 / 1000 + 300, T0);
    expect(cache.get('a', T0 + 299_999)).toEqual(identity('a'));
    expect(cache.get('a', T0 + 300_000)).toBeUndefined();
  });

  it('remembers a token at most maxAgeMs, even when its exp is later', () => {
    const cache = new VerifiedTokens({ maxAgeMs: 60_000 });
    cache.remember('a', identity('a'), T0 / 1000 + 3_600, T0);
    expect(cache.get('a', T0 + 59_999)).toEqual(identity('a'));
    expect(cache.get('a', T0 + 60_000)).toBeUndefined();
  });

  it('does not remember a token whose exp has passed', () => {
    const cache = new VerifiedTokens();
    cache.remember('a', identity('a'), T0 / 1000 - 10, T0);
    expect(cache.get('a', T0)).toBeUndefined();
  });

  it('forgets the least recently used token beyond maxEntries', () => {
    const cache = new VerifiedTokens({ maxEntries: 2 });
    const exp = T0 / 1000 + 300;
    cache.remember('a', identity('a'), exp, T0);
    cache.remember('b', identity('b'), exp, T0);
    expect(cache.get('a', T0)).toBeDefined(); // a is now more recent than b
    cache.remember('c', identity('c'), exp, T0);
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.get('a', T0)).toEqual(identity('a'));
    expect(cache.get('c', T0)).toEqual(identity('c'));
  });

  it('remembers nothing with maxEntries 0', () => {
    const cache = new VerifiedTokens({ maxEntries: 0 });
    cache.remember('a', identity('a'), T0 / 1000 + 300, T0);
    expect(cache.get('a', T0)).toBeUndefined();
  });

  it('hands out an identity no request can change for the next one', () => {
    const cache = new VerifiedTokens();
    cache.remember('a', identity('a'), T0 / 1000 + 300, T0);
    const first = cache.get('a', T0)!;
    expect(() => ((first as { sub: string }).sub = 'someone-else')).toThrow(TypeError);
    expect(() => (first.roles as Role[]).push(Role.COORDINATOR)).toThrow(TypeError);
    expect(cache.get('a', T0)).toEqual(identity('a'));
  });
});

describe('createTokenVerifier remembering verified tokens', () => {
  let folder: string;
  let issuer: DevIssuer;
  let trust: TokenVerifierOptions;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'verified-tokens-test-'));
    issuer = await DevIssuer.open(join(folder, 'issuer-key.json'));
    const jwksFile = join(folder, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(issuer.jwks()));
    trust = { issuers: [{ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksFile, vouchesFor: { region: true, municipalStaff: true } }] };
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeEach(() => signatureChecks.mockClear());
  afterEach(() => jest.useRealTimers());

  // Only Date is faked: jose's crypto, promises and timers keep running.
  const fakeDateOnly = () =>
    jest.useFakeTimers({
      now: T0,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
  const mint = (expiresIn = '5m') => issuer.mint({ sub: 'caseworker-1', roles: [Role.CASEWORKER], municipality: '0126', expiresIn });

  it('checks the signature of a token once for many requests, and answers each with the same identity', async () => {
    const verifier = createTokenVerifier(trust);
    const token = await mint();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await verifier.verifyAuthorization(`Bearer ${token}`));
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    for (const answer of answers) expect(answer).toEqual({ sub: 'caseworker-1', municipality: '0126', roles: [Role.CASEWORKER], token });
  });

  it('still checks a token that differs from a remembered one, and refuses it when its payload was changed', async () => {
    const verifier = createTokenVerifier(trust);
    const token = await mint();
    await verifier.verifyAuthorization(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.');
    const changed = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...changed, roles: [Role.COORDINATOR] })).toString('base64url')}.${signature}`;
    await expect(verifier.verifyAuthorization(`Bearer ${tampered}`)).rejects.toThrow(new AuthenticationError('the token signature is invalid'));
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });

  it('refuses a remembered token once it has expired beyond the clock tolerance', async () => {
    fakeDateOnly();
    const verifier = createTokenVerifier({ ...trust, verifiedTokenCache: { maxAgeMs: 3_600_000 } });
    const token = await mint('5m');
    await verifier.verifyAuthorization(`Bearer ${token}`);
    jest.setSystemTime(T0 + 299_000);
    await verifier.verifyAuthorization(`Bearer ${token}`);
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    jest.setSystemTime(T0 + 331_000);
    await expect(verifier.verifyAuthorization(`Bearer ${token}`)).rejects.toThrow(new AuthenticationError('the token has expired'));
  });

  it('checks the signature again after maxAgeMs', async () => {
    fakeDateOnly();
    const verifier = createTokenVerifier({ ...trust, verifiedTokenCache: { maxAgeMs: 60_000 } });
    const token = await mint('1h');
    await verifier.verifyAuthorization(`Bearer ${token}`);
    jest.setSystemTime(T0 + 61_000);
    await verifier.verifyAuthorization(`Bearer ${token}`);
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });

  it('refuses a remembered token at once when its client is revoked, and still remembers the others', async () => {
    const verifier = createTokenVerifier(trust);
    const powerBi = await issuer.mint({ sub: 'bi-powerbi', clientId: 'bi-powerbi', roles: [Role.ANALYST], expiresIn: '5m' });
    const person = await mint();
    await verifier.verifyAuthorization(`Bearer ${powerBi}`);
    await verifier.verifyAuthorization(`Bearer ${person}`);
    expect(verifier.updateRevokedClients([{ ...trust.issuers[0]!, revokedClients: ['bi-powerbi'] }])).toEqual([]);
    await expect(verifier.verifyAuthorization(`Bearer ${powerBi}`)).rejects.toThrow('the client bi-powerbi has been revoked');
    expect((await verifier.verifyAuthorization(`Bearer ${person}`)).sub).toBe('caseworker-1');
  });

  it('never remembers a refused token: each request checks it again', async () => {
    const verifier = createTokenVerifier({ issuers: [{ ...trust.issuers[0]!, audience: 'another-federation' }] });
    const token = await mint();
    for (let i = 0; i < 2; i++)
      await expect(verifier.verifyAuthorization(`Bearer ${token}`)).rejects.toThrow(new AuthenticationError("the token's aud claim is not accepted"));
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });
});
