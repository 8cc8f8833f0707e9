import { Role } from '@sodertorn/auth';
import { postGraphQL } from '@sodertorn/testing';
import { hmacWithPublicKey, signedWithOtherKey, signTrusted, tampered, trustedKid, unsigned, validClaims } from './support/crafted-tokens';
import { startTestRegion, type TestRegion } from './support/test-region';

interface Target {
  name: string;
  url: (region: TestRegion) => string;
  /** An operation a coordinator may run there, so a valid token gets data. */
  query: string;
}

/** The gateway and, behind it, the subgraphs: each verifies every token itself. */
const TARGETS: Target[] = [
  { name: 'the gateway', url: (r) => r.gateway.url, query: `{ region { municipalities { code housingUnits { id } } } }` },
  {
    name: 'the 0126 shard, directly',
    url: (r) => r.shards.get('0126')!.url,
    query: `{ myMunicipality(municipalityCode: "0126") { code housingUnits { id } } }`,
  },
  { name: 'the regional subgraph, directly', url: (r) => r.regional.url, query: `{ region { name municipalities { code name } } }` },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);

/** Each changes one thing about a token the services would accept (see the control below). */
const ATTACKS: [string, () => Promise<Record<string, string>>][] = [
  ['alg none (unsigned)', async () => bearer(unsigned(validClaims()))],
  ['HS256 with the public key as HMAC secret', async () => bearer(await hmacWithPublicKey(validClaims()))],
  ['expired an hour ago', async () => bearer(await signTrusted(validClaims({ iat: now() - 7200, exp: now() - 3600 })))],
  ['not valid for another 10 minutes (nbf)', async () => bearer(await signTrusted(validClaims({ nbf: now() + 600 })))],
  ['another issuer', async () => bearer(await signTrusted(validClaims({ iss: 'https://idp.example.org/realms/other' })))],
  ['another audience', async () => bearer(await signTrusted(validClaims({ aud: 'some-other-api' })))],
  ['an unknown kid (another key pair)', async () => bearer(await signedWithOtherKey(validClaims()))],
  ['the trusted kid, signed with another key pair', async () => bearer(await signedWithOtherKey(validClaims(), await trustedKid()))],
  [
    'a tampered payload (coordinator role added, signature kept)',
    async () => bearer(await tampered(validClaims({ roles: [Role.ANALYST] }), (claims) => ({ ...claims, roles: [Role.ANALYST, Role.COORDINATOR] }))),
  ],
  ['no token', async () => ({})],
  ['a token that is not a JWT', async () => bearer('not-a-token')],
  ['another scheme (Basic)', async () => ({ authorization: `Basic ${Buffer.from('coordinator:secret').toString('base64')}` })],
];

describe('Token attacks: every service refuses a token it cannot verify, with 401 and no data', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  it.each(TARGETS.map((t) => [t.name, t] as const))('control: %s answers a correctly signed token with data', async (_name, target) => {
    const result = await postGraphQL(target.url(region), target.query, {}, bearer(await signTrusted(validClaims())));
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
  });

  const cases = ATTACKS.flatMap(([attack, craft]) => TARGETS.map((target) => [attack, target.name, craft, target] as const));

  it.each(cases)('%s → %s: HTTP 401, no data', async (_attack, _target, craft, target) => {
    const result = await postGraphQL(target.url(region), target.query, {}, await craft());
    expect({ status: result.status, data: result.data ?? null }).toEqual({ status: 401, data: null });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
  });
});
