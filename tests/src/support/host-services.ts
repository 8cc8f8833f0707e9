import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ProviderMessage, ProviderSpec } from '@sodertorn/identity-provider';
import type { VirtualHost, VirtualNetwork } from './virtual-network';

/** The image's entry command (Containerfile: ENTRYPOINT node infra/dist/service.js). */
export const SERVICE_ENTRY = require.resolve('@sodertorn/infra/dist/service.js');

/** A process started on a host, with the tail of what it printed (for failure messages). */
export interface HostProcess {
  child: ChildProcess;
  output(): string;
}

function capture(child: ChildProcess): HostProcess {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => tail };
}

/** Runs a process on a host to its end; rejects with its output when it fails. */
export async function runToEnd(network: VirtualNetwork, host: VirtualHost, args: string[], env: Record<string, string>): Promise<string> {
  const run = capture(network.run(host, process.execPath, args, env));
  const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} on ${host.name} ended with ${code}:\n${run.output()}`);
  return run.output();
}

// Runs inside the host's namespace: a PostgreSQL of its own (embedded, listening on the
// host's own loopback only) with one database and login role for its service.
const HOST_DATABASE_SCRIPT = `
const { startEmbeddedPostgres, provisionServiceDatabase } = require(${JSON.stringify(require.resolve('@sodertorn/postgres/dist/index.js'))});
(async () => {
  const server = await startEmbeddedPostgres();
  const url = await provisionServiceDatabase(server.adminUrl, { name: process.env.DB_NAME, password: process.env.DB_PASSWORD });
  process.stdout.write('DATABASE_URL=' + url + '\\n');
  const stop = () => server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})().catch((error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exit(1); });
`;

/** Starts a host's own PostgreSQL inside its namespace; resolves with the URL its service connects with. */
export async function startHostDatabase(network: VirtualNetwork, host: VirtualHost, name: string): Promise<{ url: string; process: HostProcess }> {
  const started = capture(
    network.run(host, process.execPath, ['-e', HOST_DATABASE_SCRIPT], { DB_NAME: name, DB_PASSWORD: randomBytes(18).toString('base64url') }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    started.child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DATABASE_URL=(\S+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    started.child.once('exit', (code) => reject(new Error(`PostgreSQL on ${host.name} did not start (exit ${code}):\n${started.output()}`)));
  });
  return { url, process: started };
}

/** Starts a service on a host with the image's entry command; resolves once its /health answers over the network. */
export async function startHostService(
  network: VirtualNetwork,
  host: VirtualHost,
  command: 'gateway' | 'regional' | 'municipality',
  env: Record<string, string>,
  timeoutMs = 120_000,
  /** A module for `node -r` before the entry command (e.g. a test build: upgraded-shard.ts). */
  preload?: string,
): Promise<HostProcess & { baseUrl: string }> {
  const started = capture(network.run(host, process.execPath, [...(preload ? ['-r', preload] : []), SERVICE_ENTRY, command], env));
  const baseUrl = `${env.TLS_CERT_FILE ? 'https' : 'http'}://${host.address}:${env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`${command} on ${host.name} exited with ${started.child.exitCode}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`${command} on ${host.name} did not answer /health within ${timeoutMs} ms:\n${started.output()}`);
    const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { ...started, baseUrl };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The development identity provider's process (oidc-provider; see @sodertorn/identity-provider's spawn.ts). */
const PROVIDER_MAIN = require.resolve('@sodertorn/identity-provider/dist/main.js');

/**
 * Starts an identity provider on a host (it listens on that host's loopback); resolves with its
 * issuer URL and its published signing keys (for services on other hosts, as a JWKS file).
 */
export async function startHostIdentityProvider(
  network: VirtualNetwork,
  host: VirtualHost,
  spec: ProviderSpec,
): Promise<{ issuer: string; jwks: unknown; process: HostProcess }> {
  const started = capture(
    network.run(host, process.execPath, [PROVIDER_MAIN], { IDENTITY_PROVIDER_SPECS: JSON.stringify([spec]), NODE_ENV: 'development' }, { ipc: true }),
  );
  const issuer = await new Promise<string>((resolve, reject) => {
    started.child.on('message', (message: ProviderMessage) => {
      if (message.type === 'ready') resolve(message.issuers[spec.name]!);
      if (message.type === 'failed') reject(new Error(`the identity provider on ${host.name} failed: ${message.message}`));
    });
    started.child.once('exit', (code) => reject(new Error(`the identity provider on ${host.name} exited (${code}):\n${started.output()}`)));
  });
  // Its keys, as a service on another host would fetch them: discovery, then jwks_uri (asked from inside its host).
  const fetched = await runToEnd(
    network,
    host,
    [
      '-e',
      `fetch(process.env.ISSUER + '/.well-known/openid-configuration').then((r) => r.json()).then((d) => fetch(d.jwks_uri)).then((r) => r.text()).then((t) => process.stdout.write('JWKS=' + t + '\\n'))`,
    ],
    { ISSUER: issuer },
  );
  const jwks = JSON.parse(/^JWKS=(.+)$/m.exec(fetched)![1]!) as unknown;
  return { issuer, jwks, process: started };
}
