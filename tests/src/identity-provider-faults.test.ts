import { clientCredentialsTokenProvider, createTokenVerifier, requestToken, Role, type TokenVerifier } from '@sodertorn/auth';
import { FEDERATION_AUDIENCE, spawnProviders, tokenEndpointOf, trustedIssuersOf, type ProviderProcess, type ProviderSpec } from '@sodertorn/identity-provider';
import { findFreePort } from '@sodertorn/postgres';
import { IdentityProviderUnavailableError } from '@sodertorn/service-kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An identity provider is a party of every call: the services fetch its keys (discovery, JWKS)
 * to check tokens, and the regional service fetches its own token from it (client credentials).
 * Here the real development provider (oidc-provider, its own process) is stopped, frozen
 * (SIGSTOP) and killed (SIGKILL), then started again on the same port with the same keys, and
 * each caller is shown to say the truth meanwhile and to recover without a restart of its own.
 */
const CLIENT = { clientId: 'regional-service', clientSecret: 'service-secret-0123456789' };
/** The callers' time limit towards the provider: a frozen provider costs this much, not forever. */
const TIMEOUT_MS = 1_500;

let folder: string;
let spec: ProviderSpec;
let provider: ProviderProcess | undefined;
let issuer: string;

async function startProvider(): Promise<void> {
  provider = await spawnProviders([spec]);
  issuer = provider.issuers.region!;
}

/** Sends the provider's process a signal, as an operator or the kernel would (SIGSTOP freezes it, SIGKILL kills it). */
function signal(name: NodeJS.Signals): void {
  process.kill(provider!.pid, name);
}

async function killProvider(): Promise<void> {
  signal('SIGKILL');
  // Its port is free once the process is gone: wait for that, boundedly.
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(provider!.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the provider did not die');
}

/** A fresh token of the service client, straight from the token endpoint. */
async function freshToken(): Promise<string> {
  const endpoint = await tokenEndpointOf(issuer);
  return (await requestToken(endpoint, CLIENT, { grant_type: 'client_credentials', resource: FEDERATION_AUDIENCE })).accessToken;
}

function verifierFor(options: { jwksCacheMaxAgeMs?: number } = {}): TokenVerifier {
  return createTokenVerifier({
    issuers: trustedIssuersOf([spec], provider!.issuers),
    fetchTimeoutMs: TIMEOUT_MS,
    jwksCooldownMs: 0,
    jwksCacheMaxAgeMs: options.jwksCacheMaxAgeMs,
    verifiedTokenCache: { maxEntries: 0 },
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'idp-faults-'));
  spec = {
    name: 'region',
    displayName: 'Södertörns region',
    port: await findFreePort(),
    audience: FEDERATION_AUDIENCE,
    accounts: [],
    clients: [{ ...CLIENT, roles: [Role.SERVICE] }],
    webRedirectUris: [],
    keyFile: join(folder, 'keys.json'),
  };
  await startProvider();
}, 60_000);
afterAll(async () => {
  if (provider) {
    try {
      signal('SIGCONT');
    } catch {
      // already gone
    }
    await provider.stop();
  }
  rmSync(folder, { recursive: true, force: true });
});

describe('checking tokens while the provider is away', () => {
  it.each([
    ['stopped', async () => provider!.stop()],
    ['frozen', async () => signal('SIGSTOP')],
    ['killed', killProvider],
  ])(
    '%s after the keys were fetched: its tokens still verify with the last keys, long past their cache age',
    async (_how, fault) => {
      const verifier = verifierFor({ jwksCacheMaxAgeMs: 100 });
      const [first, second] = [await freshToken(), await freshToken()];
      expect((await verifier.verifyAuthorization(`Bearer ${first}`)).sub).toBe(CLIENT.clientId);
      await fault();
      try {
        await new Promise((r) => setTimeout(r, 300)); // the cache is stale: jose would fetch the keys again and fail
        expect((await verifier.verifyAuthorization(`Bearer ${second}`)).roles).toEqual([Role.SERVICE]);
        // A forged token still fails: the stale keys are the provider's keys, not any key.
        const [head, body] = second.split('.');
        await expect(verifier.verifyAuthorization(`Bearer ${head}.${body}.${'A'.repeat(86)}`)).rejects.toMatchObject({
          extensions: { code: 'UNAUTHENTICATED' },
        });
      } finally {
        if (_how === 'frozen') signal('SIGCONT');
        else await startProvider();
      }
    },
    60_000,
  );

  it.each([
    ['stopped', async () => provider!.stop()],
    ['frozen', async () => signal('SIGSTOP')],
    ['killed', killProvider],
  ])(
    '%s before a service ever had its keys: 503 IDENTITY_PROVIDER_UNAVAILABLE (not 401: the token may be good), then accepted once it is back',
    async (how, fault) => {
      const token = await freshToken();
      const verifier = verifierFor();
      await fault();
      const failed = await verifier.verifyAuthorization(`Bearer ${token}`).catch((e: unknown) => e);
      if (how === 'frozen') signal('SIGCONT');
      else await startProvider();
      expect(failed).toBeInstanceOf(IdentityProviderUnavailableError);
      expect((failed as IdentityProviderUnavailableError).extensions).toEqual({ code: 'IDENTITY_PROVIDER_UNAVAILABLE', http: { status: 503 } });
      // Nothing of the failure is remembered: the next try fetches the keys.
      expect((await verifier.verifyAuthorization(`Bearer ${token}`)).sub).toBe(CLIENT.clientId);
    },
    60_000,
  );
});

describe("the regional service's own token (client credentials) while the provider is away", () => {
  it.each([
    ['stopped', async () => provider!.stop()],
    ['frozen', async () => signal('SIGSTOP')],
    ['killed', killProvider],
  ])(
    '%s before the first token: the call fails within its time limit saying what the provider did, and the next one after its return gets a token',
    async (how, fault) => {
      const tokens = clientCredentialsTokenProvider({ issuer, ...CLIENT, resource: FEDERATION_AUDIENCE, timeoutMs: TIMEOUT_MS });
      await fault();
      const started = Date.now();
      const failed = await tokens().catch((e: unknown) => e as Error);
      const waited = Date.now() - started;
      if (how === 'frozen') signal('SIGCONT');
      else await startProvider();
      expect((failed as Error).message).toBe(
        how === 'frozen' ? `the identity provider did not answer within ${TIMEOUT_MS} ms` : 'the identity provider could not be reached (ECONNREFUSED)',
      );
      // Bounded by the time limit (discovery, then the token request), not hanging on a frozen provider.
      expect(waited).toBeLessThan(2 * TIMEOUT_MS + 5_000);
      expect(await verifierFor().verifyAuthorization(`Bearer ${await tokens()}`)).toMatchObject({ sub: CLIENT.clientId, roles: [Role.SERVICE] });
    },
    60_000,
  );

  it.each([
    ['stopped', async () => provider!.stop()],
    ['frozen', async () => signal('SIGSTOP')],
    ['killed', killProvider],
  ])(
    '%s when the token is due for renewal: the still-valid token is used meanwhile, a new one once the provider is back, none after expiry',
    async (how, fault) => {
      let clock = Date.now();
      const tokens = clientCredentialsTokenProvider({ issuer, ...CLIENT, resource: FEDERATION_AUDIENCE, timeoutMs: TIMEOUT_MS }, () => clock);
      const first = await tokens();
      const lifeMs = ((JSON.parse(Buffer.from(first.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number }).exp - Date.now() / 1000) * 1000;
      await fault();
      try {
        // Inside the renewal margin (the last minute), the provider away: the current token, at once.
        clock += lifeMs - 30_000;
        expect(await tokens()).toBe(first);
        // Past its expiry, nothing valid is left: the provider's failure is the caller's.
        clock += 40_000;
        await expect(tokens()).rejects.toThrow(/^the identity provider (did not answer within|could not be reached)/);
      } finally {
        if (how === 'frozen') signal('SIGCONT');
        else await startProvider();
      }
      const next = await tokens();
      expect(next).not.toBe(first);
      expect((await verifierFor().verifyAuthorization(`Bearer ${next}`)).sub).toBe(CLIENT.clientId);
    },
    60_000,
  );
});
