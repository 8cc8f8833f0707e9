import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from './roles';
import type { TrustedIssuer } from './trusted-issuers';
import { createTokenVerifier } from './verifier';

const HUDDINGE = 'https://login.microsoftonline.com/huddinge-tenant/v2.0';
const REGION = 'https://login.sodertorn.se';
const AUDIENCE = 'api://sodertorn-federation';
const CASEWORKERS_GROUP = '0b6a3f7e-1111-4c1a-9e2b-caseworkers';
const HOUSING_GROUP = '0b6a3f7e-2222-4c1a-9e2b-housing';

/** Issuers with keys on disk; the Entra-style one maps groups to roles and fixes the municipality. */
describe('several trusted issuers: claim mapping and what each may vouch for', () => {
  let folder: string;
  const keys = new Map<string, KeyLike>();

  const trusted = (overrides: Partial<Record<string, Partial<TrustedIssuer>>> = {}): TrustedIssuer[] => [
    {
      issuer: HUDDINGE,
      audience: AUDIENCE,
      jwksFile: join(folder, 'huddinge.json'),
      vouchesFor: { municipality: '0126' },
      claims: {
        subject: 'oid',
        roles: 'groups',
        roleMap: { [CASEWORKERS_GROUP]: Role.CASEWORKER, [HOUSING_GROUP]: Role.HOUSING_MANAGER },
        municipality: { value: '0126' },
      },
      ...overrides[HUDDINGE],
    },
    { issuer: REGION, audience: AUDIENCE, jwksFile: join(folder, 'region.json'), vouchesFor: { region: true }, ...overrides[REGION] },
  ];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'trusted-issuers-'));
    for (const [name, issuer] of [
      ['huddinge', HUDDINGE],
      ['region', REGION],
    ] as const) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      keys.set(issuer, privateKey);
      writeFileSync(join(folder, `${name}.json`), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: name, alg: 'ES256' }] }));
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const sign = (issuer: string, claims: JWTPayload) =>
    new SignJWT({ aud: AUDIENCE, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: issuer === HUDDINGE ? 'huddinge' : 'region' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(keys.get(issuer)!);
  const verify = async (token: string, issuers = trusted()) => createTokenVerifier({ issuers }).verifyAuthorization(`Bearer ${token}`);

  it('maps Entra ID group ids to roles, ignoring groups it does not name, with the subject from oid and a fixed municipality', async () => {
    const token = await sign(HUDDINGE, { sub: 'pairwise-sub', oid: 'user-object-id', groups: ['all-staff', CASEWORKERS_GROUP, HOUSING_GROUP, 'it-admins'] });
    expect(await verify(token)).toEqual({ sub: 'user-object-id', municipality: '0126', roles: [Role.CASEWORKER, Role.HOUSING_MANAGER], token });
  });

  it('refuses an Entra ID token none of whose groups maps to a role', async () => {
    const token = await sign(HUDDINGE, { oid: 'user-object-id', groups: ['all-staff'] });
    await expect(verify(token)).rejects.toThrow(/none of its groups maps to a role of this federation/);
  });

  it("refuses a municipality's token that claims another municipality, even though the mapping would fix it", async () => {
    const claimed = trusted({ [HUDDINGE]: { claims: { subject: 'oid', roles: 'groups', roleMap: { [CASEWORKERS_GROUP]: Role.CASEWORKER } } } });
    const token = await sign(HUDDINGE, { oid: 'u', groups: [CASEWORKERS_GROUP], municipality: '0127' });
    await expect(verify(token, claimed)).rejects.toThrow(/vouches only for municipality 0126's staff, and the token claims municipality 0127/);
  });

  it("refuses regional roles from a municipality's issuer, and municipal staff from the region's", async () => {
    const regionalFromHuddinge = trusted({ [HUDDINGE]: { claims: { subject: 'oid', municipality: { value: '0126' } } } });
    await expect(verify(await sign(HUDDINGE, { oid: 'u', roles: [Role.ANALYST] }), regionalFromHuddinge)).rejects.toThrow(/may not vouch for ANALYST/);
    await expect(verify(await sign(REGION, { sub: 'u', roles: [Role.CASEWORKER], municipality: '0126' }))).rejects.toThrow(
      /may not vouch for CASEWORKER: only each municipality's own identity provider vouches for its staff/,
    );
  });

  it("accepts the region's coordinators, analysts and services, roles given as a space-separated string too", async () => {
    const token = await sign(REGION, { sub: 'coordinator-1', roles: 'COORDINATOR ANALYST' });
    expect(await verify(token)).toMatchObject({ sub: 'coordinator-1', roles: [Role.COORDINATOR, Role.ANALYST] });
  });

  it("accepts municipal staff from the region's issuer only when configured so (a single development issuer)", async () => {
    const single = trusted({ [REGION]: { vouchesFor: { region: true, municipalStaff: true } } });
    const token = await sign(REGION, { sub: 'cw', roles: [Role.CASEWORKER], municipality: '0138' });
    expect(await verify(token, single)).toMatchObject({ sub: 'cw', municipality: '0138', roles: [Role.CASEWORKER] });
  });

  it('refuses a token of a revoked client before it expires, and no other', async () => {
    const revoked = trusted({ [REGION]: { revokedClients: ['bi-powerbi'] } });
    await expect(verify(await sign(REGION, { sub: 'bi-powerbi', client_id: 'bi-powerbi', roles: [Role.ANALYST] }), revoked)).rejects.toThrow(
      /the client bi-powerbi has been revoked/,
    );
    expect(await verify(await sign(REGION, { sub: 'bi-excel', client_id: 'bi-excel', roles: [Role.ANALYST] }), revoked)).toMatchObject({ sub: 'bi-excel' });
  });

  it("refuses a token for another issuer's audience, and one whose issuer's keys did not sign it", async () => {
    await expect(verify(await sign(REGION, { sub: 'u', roles: [Role.COORDINATOR], aud: 'api://elsewhere' }))).rejects.toThrow(/aud claim is not accepted/);
    const forged = await new SignJWT({ aud: AUDIENCE, sub: 'u', roles: [Role.COORDINATOR] })
      .setProtectedHeader({ alg: 'ES256', kid: 'region' })
      .setIssuer(REGION)
      .setExpirationTime('5m')
      .sign(keys.get(HUDDINGE)!);
    await expect(verify(forged)).rejects.toThrow(/signature is invalid/);
  });

  it('refuses to start with a fixed municipality other than the one the issuer vouches for', () => {
    const wrong = trusted({ [HUDDINGE]: { claims: { municipality: { value: '0127' } } } });
    expect(() => createTokenVerifier({ issuers: wrong })).toThrow(/issuers\.0\.claims\.municipality\.value: is 0127, but the issuer vouches for 0126/);
  });
});
