/**
 * The image's HEALTHCHECK: exits 0 when the service in this container answers GET /health,
 * 1 when not (with the reason on stderr). Orchestrators use their own probes (Kubernetes:
 * the manifests' httpGet on the same management port).
 *
 * It asks, over plain HTTP on this host:
 * - the management port (MANAGEMENT_PORT; the image sets it) when there is one: it answers
 *   without a client certificate, which a shard's TLS port never does;
 * - else PORT, when the service itself serves plain HTTP (ALLOW_PLAIN_HTTP=true, development).
 * A service on TLS without a management port cannot be asked (a shard wants the region's
 * client certificate): that is a configuration to fix, so it says so and fails.
 */
export function healthUrl(env: NodeJS.ProcessEnv): string {
  const given = (name: string) => env[name]?.trim() || undefined;
  const host = probeHost(given('HOST'));
  const management = given('MANAGEMENT_PORT');
  if (management) return `http://${host}:${management}/health`;
  if (given('ALLOW_PLAIN_HTTP') === 'true' || given('ALLOW_PLAIN_HTTP') === '1') return `http://${host}:${given('PORT') ?? '8080'}/health`;
  throw new Error('set MANAGEMENT_PORT: a service on TLS answers /health without a client certificate only on its management port');
}

/** Where to reach a listener bound to HOST from inside the container: loopback for a wildcard address. */
function probeHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::' || host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<number> {
  let url: string;
  try {
    url = healthUrl(process.env);
  } catch (error) {
    process.stderr.write(`healthcheck: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_500) });
    if (response.ok) return 0;
    process.stderr.write(`healthcheck: ${url} answered ${response.status}\n`);
  } catch (error) {
    process.stderr.write(`healthcheck: ${url} did not answer: ${(error as Error).message}\n`);
  }
  return 1;
}

if (require.main === module) void main().then((code) => process.exit(code));
