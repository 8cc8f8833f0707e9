import { createTokenVerifier, Role } from '@sodertorn/auth';
import { decodeJwt as decodeJwtPayload } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { devRegionProviders, FEDERATION_AUDIENCE, spawnProviders, trustedIssuersOf, WEB_CLIENT_ID, type ProviderProcess } from '../index';

const REDIRECT_URI = 'http://127.0.0.1:5173/auth/callback';
const members = [
  { code: '0126', name: 'Huddinge' },
  { code: '0127', name: 'Botkyrka' },
];

/** A browser's part of the sign-in, by hand: follows redirects within the provider, keeping its cookies. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!, value ?? '');
    }
    return response;
  }

  /** Follows redirects until one leaves `origin` (returned) or a page is shown (returned). */
  async follow(url: string, origin: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; response: Response }> {
    let response = await this.request(url, init);
    let at = url;
    while (response.status >= 300 && response.status < 400) {
      at = new URL(response.headers.get('location')!, at).toString();
      if (new URL(at).origin !== origin) return { url: at, response };
      response = await this.request(at);
    }
    return { url: at, response };
  }
}

const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('development identity providers (oidc-provider), one per municipality and the region', () => {
  let providers: ProviderProcess;
  const specs = devRegionProviders({
    members,
    regionClients: [{ clientId: 'regional-service', clientSecret: 'service-secret-0123456789', roles: [Role.SERVICE] }],
    devTokenSecret: 'dev-token-secret-0123456789',
    webRedirectUris: [REDIRECT_URI],
    entraStyle: ['0127'],
  });

  beforeAll(async () => {
    providers = await spawnProviders(specs);
  });
  afterAll(async () => {
    await providers?.stop();
  });

  it('publishes OpenID Provider metadata by discovery, naming itself, its keys and its grants', async () => {
    const issuer = providers.issuers['0126']!;
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ issuer, jwks_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']));
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.end_session_endpoint).toBe(`${issuer}/session/end`);
    const jwks = (await (await fetch(metadata.jwks_uri as string)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  async function signIn(provider: string, sub: string, pkce = pkcePair()) {
    const issuer = providers.issuers[provider]!;
    const origin = new URL(issuer).origin;
    const browser = new Browser();
    const state = randomBytes(8).toString('hex');
    const authorize = new URL(`${issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: WEB_CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state,
    }).toString();
    const login = await browser.follow(authorize.toString(), origin);
    expect(login.response.status).toBe(200);
    const page = await login.response.text();
    const back = await browser.follow(login.url, origin, { method: 'POST', form: { sub } });
    return { issuer, page, back, state, pkce };
  }

  it('signs a demo user in with authorization code + PKCE and issues an access token the services accept', async () => {
    const { issuer, page, back, state, pkce } = await signIn('0126', 'housing-0126-1');
    expect(page).toContain('Logga in hos Huddinge kommun');
    expect(page).toContain('Bostadsansvarig, Huddinge');
    const callback = new URL(back.url);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code')!;

    const tokenResponse = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: WEB_CLIENT_ID, code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier }),
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { access_token: string; id_token: string; refresh_token?: string };
    expect(decodeJwtPayload(tokens.id_token)).toMatchObject({
      iss: issuer,
      aud: WEB_CLIENT_ID,
      sub: 'housing-0126-1',
      name: 'Bostadsansvarig, Huddinge',
      roles: [Role.HOUSING_MANAGER],
      municipality: '0126',
    });
    expect(decodeJwtPayload(tokens.access_token)).toMatchObject({ iss: issuer, aud: FEDERATION_AUDIENCE, sub: 'housing-0126-1', client_id: WEB_CLIENT_ID });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const verifier = createTokenVerifier({ issuers: trustedIssuersOf(specs, providers.issuers) });
    expect(await verifier.verifyAuthorization(`Bearer ${tokens.access_token}`)).toMatchObject({
      sub: 'housing-0126-1',
      roles: [Role.HOUSING_MANAGER],
      municipality: '0126',
    });
  });

  it('refuses to exchange the code without the PKCE verifier', async () => {
    const { issuer, back } = await signIn('0126', 'caseworker-0126-1');
    const code = new URL(back.url).searchParams.get('code')!;
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkcePair().verifier,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an authorization request without a PKCE challenge, and a redirect URI it does not know', async () => {
    const issuer = providers.issuers['0126']!;
    const ask = (params: Record<string, string>) => fetch(`${issuer}/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
    const base = { client_id: WEB_CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI };
    const withoutPkce = await ask(base);
    expect(new URL(withoutPkce.headers.get('location')!).searchParams.get('error_description')).toMatch(/requires PKCE/);
    const elsewhere = await ask({ ...base, redirect_uri: 'https://attacker.example/cb', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
  });

  it('refuses a login as someone who is not a demo user of that provider', async () => {
    const issuer = providers.issuers['0126']!;
    const browser = new Browser();
    const pkce = pkcePair();
    const login = await browser.follow(
      `${issuer}/auth?${new URLSearchParams({ client_id: WEB_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: pkce.challenge, code_challenge_method: 'S256' })}`,
      new URL(issuer).origin,
    );
    const refused = await browser.request(login.url, { method: 'POST', form: { sub: 'coordinator-1' } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/Okänd demoanvändare/);
  });

  it('sends the browser back with access_denied and no code when the person cancels at the login page', async () => {
    const issuer = providers.issuers['0126']!;
    const browser = new Browser();
    const state = randomBytes(8).toString('hex');
    const query = { client_id: WEB_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state };
    const login = await browser.follow(
      `${issuer}/auth?${new URLSearchParams({ ...query, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' })}`,
      new URL(issuer).origin,
    );
    expect(await login.response.text()).toContain('Avbryt inloggningen');
    const back = new URL((await browser.follow(login.url, new URL(issuer).origin, { method: 'POST', form: { cancel: '1' } })).url);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.has('code')).toBe(false);
  });

  it("issues a Botkyrka (Entra ID style) token with groups, which the claim mapping turns into Botkyrka's roles", async () => {
    const { issuer, back, pkce } = await signIn('0127', 'caseworker-0127-1');
    const code = new URL(back.url).searchParams.get('code')!;
    const tokens = (await (
      await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: WEB_CLIENT_ID,
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: pkce.verifier,
        }),
      })
    ).json()) as { access_token: string };
    const payload = decodeJwtPayload(tokens.access_token);
    expect(payload.groups).toEqual(['6f1c0a3e-0127-4c1a-9e2b-000000000001']);
    expect(payload).not.toHaveProperty('roles');
    expect(payload).not.toHaveProperty('municipality');
    const verifier = createTokenVerifier({ issuers: trustedIssuersOf(specs, providers.issuers) });
    expect(await verifier.verifyAuthorization(`Bearer ${tokens.access_token}`)).toMatchObject({
      sub: 'caseworker-0127-1',
      roles: [Role.CASEWORKER],
      municipality: '0127',
    });
  });

  it("gives a service a token with client credentials at the region's provider, and refuses a wrong secret", async () => {
    const issuer = providers.issuers.region!;
    const ask = (secret: string) =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`regional-service:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
    const granted = (await (await ask('service-secret-0123456789')).json()) as { access_token: string; expires_in: number };
    expect(granted.expires_in).toBeGreaterThan(0);
    const verifier = createTokenVerifier({ issuers: trustedIssuersOf(specs, providers.issuers) });
    expect(await verifier.verifyAuthorization(`Bearer ${granted.access_token}`)).toMatchObject({ sub: 'regional-service', roles: [Role.SERVICE] });
    const refused = await ask('wrong-secret');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
  });
});
