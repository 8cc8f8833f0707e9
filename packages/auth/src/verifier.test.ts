import { base64url, decodeJwt, exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError } from '@sodertorn/errors';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer';
import { Role } from './roles';
import { createTokenVerifier, type TokenVerifier } from './verifier';

interface SigningKey {
  alg: 'ES256' | 'RS256' | 'EdDSA';
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicKey };
}

async function publicJwk(key: SigningKey): Promise<JWK> {
  return { ...(await exportJWK(key.publicKey)), kid: key.kid, alg: key.alg, use: 'sig' };
}

const now = () => Math.floor(Date.now() / 1000);

/** A payload that passes every check; `undefined` in `changes` removes that claim. */
function claims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    sub: 'caseworker-0126-7',
    roles: [Role.CASEWORKER],
    municipality: '0126',
    iat: now(),
    exp: now() + 300,
    ...changes,
  };
  for (const [claim, value] of Object.entries(changes)) if (value === undefined) delete payload[claim];
  return payload;
}

function sign(key: SigningKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('createTokenVerifier with a JWKS file', () => {
  let folder: string;
  let issuer: DevIssuer;
  let es256: SigningKey;
  let rs256: SigningKey;
  let eddsa: SigningKey;
  /** Keys the verifier does not know: one with a kid of its own, one that reuses a known kid. */
  let stranger: SigningKey;
  let impostor: SigningKey;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'verifier-test-'));
    issuer = await DevIssuer.open(join(folder, 'issuer-key.json'));
    [es256, rs256, eddsa, stranger, impostor] = await Promise.all([
      signingKey('ES256', 'test-es256'),
      signingKey('RS256', 'test-rs256'),
      signingKey('EdDSA', 'test-eddsa'),
      signingKey('ES256', 'not-in-the-jwks'),
      signingKey('ES256', 'test-es256'),
    ]);
    const jwksFile = join(folder, 'jwks.json');
    const keys = [...issuer.jwks().keys, await publicJwk(es256), await publicJwk(rs256), await publicJwk(eddsa)];
    writeFileSync(jwksFile, JSON.stringify({ keys }));
    verifier = createTokenVerifier({ issuers: [{ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksFile, vouchesFor: { region: true, municipalStaff: true } }] });
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const verify = (token: string) => verifier.verifyAuthorization(`Bearer ${token}`);

  /** The rejection of `header`, checked to be a 401 AuthenticationError whose reason matches. */
  async function expectRefused(header: string | undefined, reason: RegExp): Promise<void> {
    const outcome = await verifier.verifyAuthorization(header).then(
      (identity) => ({ accepted: identity }),
      (error: unknown) => ({ error }),
    );
    expect(outcome).not.toHaveProperty('accepted');
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect((error as AuthenticationError).message).toMatch(reason);
  }
  const expectTokenRefused = (token: string, reason: RegExp) => expectRefused(`Bearer ${token}`, reason);

  describe('accepting', () => {
    it('accepts an ES256 token of the dev issuer and returns its sub, municipality, roles and the token itself', async () => {
      const token = await issuer.mint({ sub: 'hm-0126-1', roles: [Role.HOUSING_MANAGER, Role.CASEWORKER], municipality: '0126' });
      expect(await verify(token)).toEqual({ sub: 'hm-0126-1', municipality: '0126', roles: [Role.HOUSING_MANAGER, Role.CASEWORKER], token });
    });

    it('accepts a regional role without a municipality claim', async () => {
      const token = await issuer.mint({ sub: 'coordinator-1', roles: [Role.COORDINATOR] });
      expect(await verify(token)).toEqual({ sub: 'coordinator-1', municipality: undefined, roles: [Role.COORDINATOR], token });
    });

    it.each([
      ['RS256', () => rs256],
      ['EdDSA', () => eddsa],
      ['ES256', () => es256],
    ])('accepts a %s token signed by another key pair of the same JWKS', async (_alg, key) => {
      const token = await sign(key(), claims({ sub: 'analyst-1', roles: [Role.ANALYST], municipality: undefined }));
      expect(await verify(token)).toMatchObject({ sub: 'analyst-1', roles: [Role.ANALYST] });
    });

    it('accepts a token that expired within the 30 s clock tolerance', async () => {
      const token = await sign(es256, claims({ iat: now() - 600, exp: now() - 10 }));
      expect(await verify(token)).toMatchObject({ sub: 'caseworker-0126-7' });
    });

    it('accepts a token that becomes valid within the 30 s clock tolerance', async () => {
      const token = await sign(es256, claims({ nbf: now() + 10 }));
      expect(await verify(token)).toMatchObject({ sub: 'caseworker-0126-7' });
    });

    it('accepts "bearer" in any case and surrounding whitespace', async () => {
      const token = await sign(es256, claims());
      expect(await verifier.verifyAuthorization(`  bearer ${token} `)).toMatchObject({ token });
    });
  });

  describe('refusing the Authorization header', () => {
    it('refuses when no header is sent', async () => {
      await expectRefused(undefined, /no token was sent/);
      await expectRefused('', /no token was sent/);
    });

    it.each([
      ['another scheme', async () => `Basic ${Buffer.from('user:password').toString('base64')}`],
      ['a bare token', () => sign(es256, claims())],
      ['two tokens', async () => `Bearer ${await sign(es256, claims())} ${await sign(es256, claims())}`],
      ['the scheme without a token', async () => 'Bearer '],
    ])('refuses a header that is not "Bearer <token>": %s', async (_what, header) => {
      await expectRefused(await header(), /not "Bearer <token>"/);
    });

    it('refuses a token that is not a JWT at all', async () => {
      await expectTokenRefused('not-a-jwt', /malformed or invalid/);
    });
  });

  describe('refusing the signature', () => {
    it('refuses an unsigned token (alg none)', async () => {
      const unsigned = `${encodeJson({ alg: 'none', typ: 'JWT' })}.${encodeJson(claims())}.`;
      await expectTokenRefused(unsigned, /algorithm that is not allowed/);
    });

    it.each([
      ['its SPKI PEM', async () => new TextEncoder().encode(await exportSPKI(es256.publicKey))],
      ['its JWK', async () => new TextEncoder().encode(JSON.stringify(await publicJwk(es256)))],
    ])('refuses an HS256 token whose secret is the public key, as %s', async (_form, secret) => {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: es256.kid, typ: 'JWT' }).sign(await secret());
      await expectTokenRefused(token, /algorithm that is not allowed/);
    });

    it('refuses a token signed with a key whose kid is not in the JWKS', async () => {
      await expectTokenRefused(await sign(stranger, claims()), /unknown key/);
    });

    it('refuses a token signed with another key that claims a known kid', async () => {
      await expectTokenRefused(await sign(impostor, claims()), /signature is invalid/);
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const token = await sign(es256, claims({ roles: [Role.CASEWORKER], municipality: '0126' }));
      const [header, , signature] = token.split('.');
      const tampered = `${header}.${encodeJson({ ...decodeJwt(token), municipality: '0127', roles: [Role.CASEWORKER, Role.AUDITOR] })}.${signature}`;
      await expectTokenRefused(tampered, /signature is invalid/);
    });
  });

  describe('refusing the registered claims', () => {
    it('refuses a token expired beyond the 30 s tolerance', async () => {
      await expectTokenRefused(await sign(es256, claims({ iat: now() - 600, exp: now() - 45 })), /expired/);
    });

    it('refuses a token whose nbf lies beyond the 30 s tolerance in the future', async () => {
      await expectTokenRefused(await sign(es256, claims({ nbf: now() + 120 })), /nbf claim/);
    });

    it('refuses a token of another issuer', async () => {
      await expectTokenRefused(await sign(es256, claims({ iss: 'https://login.example.org/realms/elsewhere' })), /iss claim/);
    });

    it('refuses a token for another audience', async () => {
      await expectTokenRefused(await sign(es256, claims({ aud: 'some-other-api' })), /aud claim/);
    });

    it('refuses a token without exp', async () => {
      await expectTokenRefused(await sign(es256, claims({ exp: undefined })), /exp claim/);
    });

    it('refuses a token without sub', async () => {
      await expectTokenRefused(await sign(es256, claims({ sub: undefined })), /sub claim/);
    });
  });

  describe('refusing the federation claims', () => {
    const lacksClaims = /lacks valid sub, roles or municipality claims/;

    it('refuses a token without a roles claim', async () => {
      await expectTokenRefused(await sign(es256, claims({ roles: undefined })), lacksClaims);
    });

    it('refuses a token with an empty roles claim', async () => {
      await expectTokenRefused(await sign(es256, claims({ roles: [] })), lacksClaims);
    });

    it('refuses a token naming an unknown role, even beside a known one', async () => {
      await expectTokenRefused(await sign(es256, claims({ roles: [Role.CASEWORKER, 'SUPERUSER'] })), lacksClaims);
    });

    it.each([Role.CASEWORKER, Role.HOUSING_MANAGER, Role.AUDITOR])('refuses a %s without a municipality claim', async (role) => {
      await expectTokenRefused(await sign(es256, claims({ roles: [role], municipality: undefined })), lacksClaims);
    });

    it('refuses a municipality claim that is not a four-digit kommunkod', async () => {
      await expectTokenRefused(await sign(es256, claims({ municipality: '126' })), lacksClaims);
    });
  });
});
