import type { JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { loadOrCreateSigningKeys, newSigningKey } from './keys';
import { handleInteraction } from './login-page';
import { createProvider } from './provider';
import type { ProviderSpec } from './spec';

export interface RunningProviders {
  /** Issuer URL of each provider, by name (`region`, `0126`, …). */
  issuers: Record<string, string>;
  /** A new signing key first (signs from now on); the old ones stay published for tokens already out. */
  rotateKeys(name: string): Promise<void>;
  /** The client can no longer get tokens (as when a municipality or the region disables a BI tool). */
  revokeClient(name: string, clientId: string): void;
  close(): Promise<void>;
}

interface Running {
  spec: ProviderSpec;
  issuer: string;
  keys: JWK[];
  cookieKey: string;
  provider: Provider;
  server: Server;
}

/**
 * Runs each development provider on its own port (its issuer is
 * `http://127.0.0.1:<port>`). A rotation or revocation builds the provider anew
 * from its changed spec behind the same port; sessions and grants live in
 * oidc-provider's in-memory store, which the new instance shares.
 */
export async function startProviders(specs: readonly ProviderSpec[]): Promise<RunningProviders> {
  const running = new Map<string, Running>();
  try {
    for (const spec of specs) {
      const entry = { spec } as Running;
      entry.server = createServer((req, res) => {
        const { provider } = entry;
        const interaction = req.url?.startsWith('/interaction/');
        const handled = interaction ? handleInteraction(provider, entry.spec, req, res) : provider.callback()(req, res);
        Promise.resolve(handled).catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`Inloggningen kunde inte slutföras: ${(error as Error).message}`);
        });
      });
      running.set(spec.name, entry);
      await new Promise<void>((resolve, reject) => entry.server.once('error', reject).listen(spec.port ?? 0, '127.0.0.1', resolve));
      entry.issuer = `http://127.0.0.1:${(entry.server.address() as AddressInfo).port}`;
      entry.keys = spec.keyFile ? await loadOrCreateSigningKeys(spec.keyFile) : [await newSigningKey()];
      entry.cookieKey = randomBytes(32).toString('base64url');
      entry.provider = createProvider(spec, entry.issuer, { signingKeys: entry.keys, cookieKey: entry.cookieKey });
    }
  } catch (error) {
    await Promise.all([...running.values()].map((r) => new Promise((resolve) => r.server.close(resolve))));
    throw error;
  }

  const entryOf = (name: string) => {
    const entry = running.get(name);
    if (!entry) throw new Error(`no development provider named ${name}`);
    return entry;
  };
  return {
    issuers: Object.fromEntries([...running].map(([name, r]) => [name, r.issuer])),
    async rotateKeys(name) {
      const entry = entryOf(name);
      entry.keys = [await newSigningKey(), ...entry.keys];
      entry.provider = createProvider(entry.spec, entry.issuer, { signingKeys: entry.keys, cookieKey: entry.cookieKey });
    },
    revokeClient(name, clientId) {
      const entry = entryOf(name);
      entry.spec = { ...entry.spec, clients: entry.spec.clients.filter((c) => c.clientId !== clientId) };
      entry.provider = createProvider(entry.spec, entry.issuer, { signingKeys: entry.keys, cookieKey: entry.cookieKey });
    },
    async close() {
      await Promise.all(
        [...running.values()].map(
          (r) =>
            new Promise<void>((resolve) => {
              r.server.closeAllConnections();
              r.server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
