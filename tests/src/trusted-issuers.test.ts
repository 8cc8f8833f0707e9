import { Role } from '@sodertorn/auth';
import { bearer as testIssuerBearer, postGraphQL } from '@sodertorn/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestRegion, type TestRegion } from './support/test-region';

const HUDDINGE = '0126';
const BOTKYRKA = '0127';
const OWN_MUNICIPALITY = `{ myMunicipality { code } }`;

/** Each municipality's staff sign in at its own provider; only what an issuer may vouch for is accepted, at the gateway and again at the shard. */
describe('Trusted issuers: per-municipality OpenID Providers through the gateway and at the shards', () => {
  let region: TestRegion;
  const auth = (headers: Record<string, string>) => headers.authorization!.slice('Bearer '.length);

  beforeAll(async () => {
    region = await startTestRegion({ seed: false, identityProviders: { jwksCooldownMs: 500 } });
  });
  afterAll(async () => {
    await region?.destroy();
  });

  it('accepts each municipality’s caseworker with a token from that municipality’s own provider', async () => {
    for (const { code } of region.registry) {
      const headers = await region.bearer(Role.CASEWORKER, code);
      expect(decodeJwt(auth(headers)).iss).toBe(region.providers!.issuers[code]);
      const result = await postGraphQL(region.gateway.url, OWN_MUNICIPALITY, {}, headers);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ myMunicipality: { code } });
    }
  });

  it("maps Botkyrka's Entra ID style group claim to its caseworker role and its fixed municipality", async () => {
    const headers = await region.bearer(Role.CASEWORKER, BOTKYRKA);
    const payload = decodeJwt(auth(headers));
    expect(payload).toMatchObject({ groups: ['6f1c0a3e-0127-4c1a-9e2b-000000000001'] });
    expect(payload).not.toHaveProperty('roles');
    expect(payload).not.toHaveProperty('municipality');
    const result = await postGraphQL(region.gateway.url, OWN_MUNICIPALITY, {}, headers);
    expect(result.data).toEqual({ myMunicipality: { code: BOTKYRKA } });
  });

  describe('refusing what an issuer may not vouch for', () => {
    const expectRefused = async (url: string, headers: Record<string, string>, message: RegExp) => {
      const result = await postGraphQL(url, OWN_MUNICIPALITY, {}, headers);
      expect(result.status).toBe(401);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toMatch(message);
    };

    it("refuses a Huddinge token claiming Botkyrka, at the gateway and again at Botkyrka's shard", async () => {
      const headers = await region.bearer(Role.CASEWORKER, BOTKYRKA, 'caseworker-0126-1', HUDDINGE);
      expect(decodeJwt(auth(headers))).toMatchObject({ iss: region.providers!.issuers[HUDDINGE], municipality: BOTKYRKA });
      const clearly = /vouches only for municipality 0126's staff, and the token claims municipality 0127/;
      await expectRefused(region.gateway.url, headers, clearly);
      await expectRefused(region.shards.get(BOTKYRKA)!.url, headers, clearly);
    });

    it("refuses a coordinator vouched for by a municipality's provider", async () => {
      const headers = await region.bearer(Role.COORDINATOR, undefined, 'coordinator-from-huddinge', HUDDINGE);
      await expectRefused(region.gateway.url, headers, /may not vouch for COORDINATOR: a municipality's identity provider vouches only for its own staff/);
      await expectRefused(region.shards.get(HUDDINGE)!.url, headers, /may not vouch for COORDINATOR/);
    });

    it("refuses a municipality's caseworker vouched for by the region's provider", async () => {
      const headers = await region.bearer(Role.CASEWORKER, HUDDINGE, 'caseworker-from-region', 'region');
      await expectRefused(region.gateway.url, headers, /may not vouch for CASEWORKER: only each municipality's own identity provider vouches for its staff/);
    });

    it('refuses a validly signed token of an issuer nobody configured', async () => {
      await expectRefused(
        region.gateway.url,
        await testIssuerBearer(Role.COORDINATOR),
        /iss claim is not accepted: its issuer is not one this federation trusts/,
      );
      await expectRefused(region.shards.get(HUDDINGE)!.url, await testIssuerBearer(Role.CASEWORKER, HUDDINGE), /its issuer is not one this federation trusts/);
    });
  });

  it("picks up a provider's new signing key (key rotation), and still accepts tokens signed with the old one", async () => {
    const before = await region.bearer(Role.HOUSING_MANAGER, HUDDINGE);
    expect((await postGraphQL(region.gateway.url, OWN_MUNICIPALITY, {}, before)).data).toEqual({ myMunicipality: { code: HUDDINGE } });
    await region.providers!.rotateKeys(HUDDINGE);
    const after = await region.bearer(Role.HOUSING_MANAGER, HUDDINGE);
    expect(decodeProtectedHeader(auth(after)).kid).not.toBe(decodeProtectedHeader(auth(before)).kid);
    // The services fetch the keys again for a kid they have not seen, once their short cooldown has passed.
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const url of [region.gateway.url, region.shards.get(HUDDINGE)!.url]) {
      expect(await postGraphQL(url, OWN_MUNICIPALITY, {}, after)).toMatchObject({ status: 200, data: { myMunicipality: { code: HUDDINGE } } });
      expect(await postGraphQL(url, OWN_MUNICIPALITY, {}, before)).toMatchObject({ status: 200, data: { myMunicipality: { code: HUDDINGE } } });
    }
  });
});
