import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, type TokenRequest } from '@sodertorn/auth';
import { bearer, postGraphQL, Role, testIssuer } from '@sodertorn/testing';
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HousingUnit } from '../housing/housing-unit.entity';
import { Participant } from '../participants/participant.entity';
import { startTestShard, type TestShard } from '../test-support';

const PARTICIPANTS = `query($code: ID) { participants(municipalityCode: $code) { id firstName lastName personalIdentityNumber } }`;
const UNITS = (fields: string) => `{ myMunicipality(municipalityCode: "0126") { code housingUnits { ${fields} } } }`;
const MUNICIPALITY_ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { code housingUnits { id district } } } }`;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ES256 JWT signed by hand, so a test can choose every header field and claim. */
function signEs256(key: KeyObject, kid: string, payload: Record<string, unknown>): string {
  const input = `${encode({ alg: 'ES256', kid, typ: 'JWT' })}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** The test issuer's own signing key: the one every test shard trusts through its JWKS. */
async function trustedKey(): Promise<{ key: KeyObject; kid: string }> {
  // DevIssuer exposes only its public key; these tests must sign claims it would never mint.
  const jwk = ((await testIssuer()) as unknown as { privateJwk?: JsonWebKey & { kid?: string } }).privateJwk;
  if (!jwk?.d || !jwk.kid) throw new Error('the test issuer no longer keeps its private JWK as `privateJwk`: update this test');
  return { key: createPrivateKey({ key: jwk, format: 'jwk' }), kid: jwk.kid };
}

/** A caseworker of 0126's claims, as the dev issuer would mint them, valid now. */
function caseworkerClaims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: 'caseworker-0126-1', roles: [Role.CASEWORKER], municipality: '0126', iat: now, exp: now + 300, ...changes };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('A municipal deployment called directly', () => {
  let shard: TestShard;
  let participants: Participant[];
  let units: HousingUnit[];
  let otherIssuerFolder: string;

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    const em = shard.orm.em.fork();
    participants = await em.find(Participant, {});
    units = await em.find(HousingUnit, {});
    otherIssuerFolder = mkdtempSync(join(tmpdir(), 'other-issuer-'));
  });
  afterAll(async () => {
    await shard.destroy();
    rmSync(otherIssuerFolder, { recursive: true, force: true });
  });

  /** True when any participant's name or personnummer appears in the text. */
  const leaksParticipant = (text: string) =>
    participants.some((p) => text.includes(p.personalIdentityNumber) || text.includes(`"${p.firstName}"`) || text.includes(`"${p.lastName}"`));
  const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);

  it('holds participants and units to protect', () => {
    expect(participants.length).toBeGreaterThan(0);
    expect(units.length).toBeGreaterThan(0);
  });

  describe('authentication', () => {
    async function expectUnauthenticated(headers: Record<string, string>, query = PARTICIPANTS): Promise<void> {
      const result = await postGraphQL(shard.url, query, { code: '0126' }, headers);
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(leaksParticipant(JSON.stringify(result))).toBe(false);
    }

    it('answers a caseworker of 0126 with a valid token (the control for what follows)', async () => {
      const { key, kid } = await trustedKey();
      const result = await postGraphQL(shard.url, PARTICIPANTS, { code: '0126' }, auth(signEs256(key, kid, caseworkerClaims())));
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(result.data!.participants).toHaveLength(participants.length);
    });

    it('refuses a request without a token with HTTP 401 and no data', async () => {
      await expectUnauthenticated({});
    });

    it('refuses a token signed by another issuer with its own key', async () => {
      const other = await DevIssuer.open(join(otherIssuerFolder, 'key.json'));
      await expectUnauthenticated(auth(await other.mint({ sub: 'caseworker-0126-1', roles: [Role.CASEWORKER], municipality: '0126' })));
    });

    it("refuses a token forged with another key under the trusted key's kid", async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await expectUnauthenticated(auth(signEs256(privateKey, (await trustedKey()).kid, caseworkerClaims())));
    });

    it('refuses an expired token', async () => {
      const request: TokenRequest = { sub: 'caseworker-0126-1', roles: [Role.CASEWORKER], municipality: '0126', expiresIn: '5 minutes ago' };
      await expectUnauthenticated(auth(await (await testIssuer()).mint(request)));
    });

    it('refuses a token of the trusted issuer for another audience', async () => {
      const { key, kid } = await trustedKey();
      await expectUnauthenticated(auth(signEs256(key, kid, caseworkerClaims({ aud: 'some-other-federation' }))));
    });

    it('refuses a header that is not a bearer token', async () => {
      await expectUnauthenticated({ authorization: 'Basic Y2FzZXdvcmtlcjpwYXNzd29yZA==' });
    });
  });

  describe('the anonymous schema request', () => {
    it('answers `{ _service { sdl } }` without a token', async () => {
      const result = await postGraphQL(shard.url, `{ _service { sdl } }`);
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(result.data!._service.sdl).toContain('type Participant');
    });

    it('refuses the SDL together with participants without a token, with 401 and no data', async () => {
      const result = await postGraphQL(shard.url, `{ _service { sdl } participants { id firstName } }`);
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(leaksParticipant(JSON.stringify(result))).toBe(false);
    });

    it('refuses the SDL request when it carries a token that does not verify', async () => {
      const result = await postGraphQL(shard.url, `{ _service { sdl } }`, {}, { authorization: 'Bearer not.a.token' });
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
    });
  });

  describe('municipality and role', () => {
    it('defaults the municipality to the one in the token', async () => {
      const result = await postGraphQL(shard.url, `{ participants { id } }`, {}, await bearer(Role.CASEWORKER, '0126'));
      expect(result.errors).toBeUndefined();
      expect(result.data!.participants).toHaveLength(participants.length);
    });

    it('refuses participants to a caseworker of 0127 naming 0126, with FORBIDDEN and no data', async () => {
      const result = await postGraphQL(shard.url, PARTICIPANTS, { code: '0126' }, await bearer(Role.CASEWORKER, '0127'));
      expect(result.data).toBeNull();
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(leaksParticipant(JSON.stringify(result))).toBe(false);
    });

    it('refuses a caseworker of 0126 naming 0127 on the 0126 deployment with WRONG_MUNICIPALITY', async () => {
      const result = await postGraphQL(shard.url, PARTICIPANTS, { code: '0127' }, await bearer(Role.CASEWORKER, '0126'));
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'WRONG_MUNICIPALITY', municipalityCode: '0127' });
      expect(leaksParticipant(JSON.stringify(result))).toBe(false);
    });

    it('refuses a root field without municipalityCode when the token names no municipality, with MUNICIPALITY_REQUIRED', async () => {
      const result = await postGraphQL(shard.url, `{ myMunicipality { code } }`, {}, await bearer(Role.COORDINATOR));
      expect(result.data).toBeNull();
      expect(codes(result)).toEqual(['MUNICIPALITY_REQUIRED']);
    });

    describe('a coordinator (no municipality)', () => {
      let coordinator: Record<string, string>;

      beforeAll(async () => {
        coordinator = await bearer(Role.COORDINATOR);
      });

      it('reads the housing units of 0126 when naming it', async () => {
        const result = await postGraphQL(shard.url, UNITS('id district places'), {}, coordinator);
        expect(result.errors).toBeUndefined();
        expect(result.data!.myMunicipality.code).toBe('0126');
        const ids = (result.data!.myMunicipality.housingUnits as { id: string }[]).map((u) => u.id);
        expect(ids.length).toBeGreaterThan(0);
        expect(units.map((u) => u.id)).toEqual(expect.arrayContaining(ids));
      });

      it('is refused the street address with FORBIDDEN, and no address is in the answer', async () => {
        const result = await postGraphQL(shard.url, UNITS('id streetAddress'), {}, coordinator);
        expect(result.errors?.length).toBeGreaterThan(0);
        expect(new Set(codes(result))).toEqual(new Set(['FORBIDDEN']));
        expect(result.errors![0]!.path).toEqual(['myMunicipality', 'housingUnits', expect.any(Number), 'streetAddress']);
        const text = JSON.stringify(result);
        expect(units.filter((u) => text.includes(u.streetAddress))).toEqual([]);
      });

      it('is refused participants with FORBIDDEN and no data', async () => {
        const result = await postGraphQL(shard.url, PARTICIPANTS, { code: '0126' }, coordinator);
        expect(result.data).toBeNull();
        expect(codes(result)).toEqual(['FORBIDDEN']);
        expect(leaksParticipant(JSON.stringify(result))).toBe(false);
      });
    });

    describe('an analyst', () => {
      it('reads the Municipality entity but is refused its housingUnits with FORBIDDEN', async () => {
        const result = await postGraphQL(shard.url, MUNICIPALITY_ENTITY, { r: [{ __typename: 'Municipality', code: '0126' }] }, await bearer(Role.ANALYST));
        expect(result.data!._entities).toEqual([{ code: '0126', housingUnits: null }]);
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]).toMatchObject({ path: ['_entities', 0, 'housingUnits'], extensions: { code: 'FORBIDDEN' } });
      });

      it('is refused myMunicipality altogether', async () => {
        const result = await postGraphQL(shard.url, UNITS('id'), {}, await bearer(Role.ANALYST));
        expect(result.data).toBeNull();
        expect(codes(result)).toEqual(['FORBIDDEN']);
      });

      it('(control) a coordinator reads the same entity with its housing units', async () => {
        const result = await postGraphQL(shard.url, MUNICIPALITY_ENTITY, { r: [{ __typename: 'Municipality', code: '0126' }] }, await bearer(Role.COORDINATOR));
        expect(result.errors).toBeUndefined();
        expect(result.data!._entities[0].housingUnits.length).toBeGreaterThan(0);
      });
    });
  });
});
