import { clientCredentialsTokenProvider, createTokenVerifier, Role, type TrustedIssuer } from '@sodertorn/auth';
import { decodeJwt } from 'jose';
import { devRegionProviders, REGION_PROVIDER, spawnProviders, trustedIssuersOf, type ProviderProcess } from '../index';

const SERVICE = { clientId: 'regional-service', clientSecret: 'service-secret-0123456789' };
const POWER_BI = { clientId: 'bi-powerbi', clientSecret: 'power-bi-secret-0123456789' };
const EXCEL = { clientId: 'bi-excel', clientSecret: 'excel-secret-0123456789' };
/** Short-lived on purpose: the renewal is watched in real time. */
const TTL_SECONDS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("services and BI tools: client credentials at the region's provider", () => {
  let providers: ProviderProcess;
  let trusted: TrustedIssuer[];
  const specs = devRegionProviders({
    members: [{ code: '0126', name: 'Huddinge' }],
    regionClients: [
      { ...SERVICE, roles: [Role.SERVICE] },
      { ...POWER_BI, roles: [Role.ANALYST] },
      { ...EXCEL, roles: [Role.ANALYST] },
    ],
    devTokenSecret: 'dev-token-secret-0123456789',
    webRedirectUris: ['http://127.0.0.1:9/auth/callback'],
    accessTokenTtlSeconds: TTL_SECONDS,
  });

  beforeAll(async () => {
    providers = await spawnProviders(specs);
    trusted = trustedIssuersOf(specs, providers.issuers);
  });
  afterAll(async () => {
    await providers?.stop();
  });

  const tokenProvider = (client: { clientId: string; clientSecret: string }) =>
    clientCredentialsTokenProvider({ ...client, issuer: providers.issuers[REGION_PROVIDER]!, renewBeforeSeconds: 1 });

  it('hands out one token while it is fresh, to concurrent callers too, and renews it before it expires', async () => {
    // No clock tolerance: an expired token is refused the moment it expires.
    const verifier = createTokenVerifier({ issuers: trusted, clockToleranceSeconds: 0 });
    const serviceToken = tokenProvider(SERVICE);
    const first = await Promise.all([serviceToken(), serviceToken(), serviceToken()]);
    expect(new Set(first).size).toBe(1);
    const [token] = first;
    expect(decodeJwt(token!)).toMatchObject({ sub: SERVICE.clientId, roles: [Role.SERVICE] });
    expect(await serviceToken()).toBe(token);
    expect(decodeJwt(token!).exp! - decodeJwt(token!).iat!).toBe(TTL_SECONDS);

    await sleep(TTL_SECONDS * 1000 + 500);
    await expect(verifier.verifyAuthorization(`Bearer ${token}`)).rejects.toThrow(/the token has expired/);
    const renewed = await serviceToken();
    expect(renewed).not.toBe(token);
    expect(await verifier.verifyAuthorization(`Bearer ${renewed}`)).toMatchObject({ sub: SERVICE.clientId, roles: [Role.SERVICE] });
  });

  it('renews in the last part of its life (renewBeforeSeconds), not earlier and not once expired', async () => {
    // The renewal decision on a clock of the test's own; the tokens are the provider's.
    let clock = Date.now();
    const serviceToken = clientCredentialsTokenProvider({ ...SERVICE, issuer: providers.issuers[REGION_PROVIDER]!, renewBeforeSeconds: 1 }, () => clock);
    const issuedAt = clock;
    const token = await serviceToken();
    clock = issuedAt + (TTL_SECONDS - 1) * 1000 - 50;
    expect(await serviceToken()).toBe(token);
    clock = issuedAt + (TTL_SECONDS - 1) * 1000 + 50;
    const next = await serviceToken();
    expect(next).not.toBe(token);
    expect(decodeJwt(next)).toMatchObject({ sub: SERVICE.clientId, roles: [Role.SERVICE] });
  });

  it('refuses a revoked BI client: no new token from the provider, and its outstanding token is refused by the services', async () => {
    const powerBi = tokenProvider(POWER_BI);
    const outstanding = await powerBi();
    const before = createTokenVerifier({ issuers: trusted });
    expect(await before.verifyAuthorization(`Bearer ${outstanding}`)).toMatchObject({ sub: POWER_BI.clientId, roles: [Role.ANALYST] });

    await providers.revokeClient(REGION_PROVIDER, POWER_BI.clientId);
    await expect(tokenProvider(POWER_BI)()).rejects.toThrow(/refused client bi-powerbi \(invalid_client/);
    // The trust file lists the revoked client, so its token is refused before it expires.
    const after = createTokenVerifier({
      issuers: trusted.map((t) => (t.issuer === providers.issuers.region ? { ...t, revokedClients: [POWER_BI.clientId] } : t)),
    });
    await expect(after.verifyAuthorization(`Bearer ${outstanding}`)).rejects.toThrow(/the client bi-powerbi has been revoked/);

    // Another BI tool is not affected.
    const excel = await tokenProvider(EXCEL)();
    expect(await after.verifyAuthorization(`Bearer ${excel}`)).toMatchObject({ sub: EXCEL.clientId, roles: [Role.ANALYST] });
  });
});
