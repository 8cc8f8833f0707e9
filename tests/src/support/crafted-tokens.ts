import { DEV_AUDIENCE, DEV_ISSUER, Role } from '@sodertorn/auth';
import { testIssuer } from '@sodertorn/testing';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';

/**
 * Hand-made tokens for attack tests. Everything starts from `validClaims()`,
 * signed exactly as the test issuer signs (same key, kid and algorithm), so an
 * attack changes one thing and a control proves the unchanged token is accepted.
 */

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The test issuer's signing key: the one every test service trusts through its JWKS. */
async function trustedKey(): Promise<{ key: KeyLike | Uint8Array; kid: string; publicJwk: JWK }> {
  const issuer = await testIssuer();
  // DevIssuer exposes only its public key; attack tests need to sign claims it would never mint.
  const privateJwk = (issuer as unknown as { privateJwk?: JWK }).privateJwk;
  if (!privateJwk?.d || !privateJwk.kid) throw new Error('the test issuer no longer keeps its private JWK as `privateJwk`: update crafted-tokens.ts');
  return { key: await importJWK(privateJwk, 'ES256'), kid: privateJwk.kid, publicJwk: issuer.publicJwk };
}

/** Claims the services accept: our issuer and audience, valid now for five minutes. */
export function validClaims(overrides: JWTPayload & { roles?: Role[]; municipality?: string } = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'attack-test', roles: [Role.COORDINATOR], iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now, exp: now + 300, ...overrides };
}

/** Signs claims with the trusted key (ES256, the issuer's kid), as the real issuer would. */
export async function signTrusted(claims: JWTPayload): Promise<string> {
  const { key, kid } = await trustedKey();
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(key);
}

/** An unsigned token: `alg: none` and an empty signature. */
export function unsigned(claims: JWTPayload): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

/** Algorithm confusion: HS256 with the issuer's public key (PEM, as published) as the HMAC secret. */
export async function hmacWithPublicKey(claims: JWTPayload): Promise<string> {
  const { kid, publicJwk } = await trustedKey();
  const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as KeyLike);
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(new TextEncoder().encode(pem));
}

/** Signed with a key pair of the attacker's, under a kid of their choosing (default: one the JWKS lacks). */
export async function signedWithOtherKey(claims: JWTPayload, kid?: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: kid ?? 'attacker-key-1', typ: 'JWT' }).sign(privateKey);
}

/** A valid token whose payload is re-encoded with changes; header and signature are kept. */
export async function tampered(claims: JWTPayload, change: (payload: JWTPayload) => JWTPayload): Promise<string> {
  const [header, , signature] = (await signTrusted(claims)).split('.');
  return `${header}.${encode(change(claims))}.${signature}`;
}

/** The kid the services trust, for attacks that borrow it. */
export async function trustedKid(): Promise<string> {
  return (await trustedKey()).kid;
}
