import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, Role, type TokenVerifierOptions } from '@sodertorn/auth';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = join(tmpdir(), `sodertorn-test-issuer-${process.pid}`);
let issuer: Promise<DevIssuer> | undefined;

/** One issuer (ES256 key) per test process, standing in for the region's OIDC provider. */
export function testIssuer(): Promise<DevIssuer> {
  issuer ??= DevIssuer.open(join(folder, 'key.json'));
  return issuer;
}

/**
 * How a test service verifies tokens: the test issuer's JWKS, as a file. The one test issuer
 * vouches for every role of every municipality (as a single development issuer may); the
 * tests of issuers that may vouch only for some run the real providers (@sodertorn/identity-provider).
 */
export async function testVerifierOptions(): Promise<TokenVerifierOptions> {
  const jwksFile = join(folder, 'jwks.json');
  mkdirSync(folder, { recursive: true });
  writeFileSync(jwksFile, JSON.stringify((await testIssuer()).jwks()));
  return { issuers: [{ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksFile, vouchesFor: { region: true, municipalStaff: true } }] };
}

/** A valid token for a role (of a municipality, for municipal roles). */
export async function tokenFor(role: Role | Role[], municipality?: string, sub?: string): Promise<string> {
  const roles = Array.isArray(role) ? role : [role];
  return (await testIssuer()).mint({ sub: sub ?? `test-${roles.join('-').toLowerCase()}${municipality ? `-${municipality}` : ''}`, roles, municipality });
}

/** The Authorization header of `tokenFor`. */
export async function bearer(role: Role | Role[], municipality?: string, sub?: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(role, municipality, sub)}` };
}

export { Role };
