import { ConfigError, DEFAULT_REGISTRY_FILE, env, parseAuthEnv, parseEnv, parseQueryLimitsEnv, parseTransportEnv, z } from '@sodertorn/service-kit';
import { resolve } from 'node:path';

const SCHEMA_DIR = resolve(__dirname, '../../schema');
const limit = (fallback: number) => z.coerce.number({ error: 'must be a positive whole number' }).int().positive().default(fallback);
const count = (fallback: number, message = 'must be a whole number, 0 or more') =>
  z.coerce.number({ error: message }).int(message).min(0, message).default(fallback);

/** Environment of the gateway, parsed once at start. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'gateway',
    {
      PORT: env.port(4000),
      HOST: env.host(),
      REGIONAL_SUBGRAPH_URL: z.url('must be the URL of the regional subgraph, e.g. https://regional.internal:4100/graphql'),
      REGIONAL_TLS_CA_FILE: z.string().min(1).optional(),
      REGIONAL_TLS_IDENTITY: z.string().min(1).optional(),
      REGISTRY_FILE: z.string().default(DEFAULT_REGISTRY_FILE),
      MUNICIPALITY_SUBGRAPH_URLS: z.string().optional(),
      SUPERGRAPH_FILE: z.string().default(resolve(SCHEMA_DIR, 'supergraph.graphql')),
      MUNICIPALITY_SDL_FILE: z.string().default(resolve(SCHEMA_DIR, 'municipality.graphql')),
      SHARD_TIMEOUT_MS: env.milliseconds(5_000),
      SHARD_RETRIES: count(1),
      SHARD_RETRY_BASE_MS: count(50, 'must be a whole number of milliseconds, 0 or more'),
      SHARD_BREAKER_FAILURES: limit(5),
      SHARD_BREAKER_COOLDOWN_MS: env.milliseconds(10_000),
      SHARD_PROBE_INTERVAL_MS: env.milliseconds(5_000),
      SHARD_PROBE_TIMEOUT_MS: env.milliseconds(2_000),
      BODY_LIMIT: z.string().default('100kb'),
      INTROSPECTION: env.boolean(false),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  const regionalHttps = config.REGIONAL_SUBGRAPH_URL.startsWith('https:');
  const regionalTrustGiven = Boolean(config.REGIONAL_TLS_CA_FILE && config.REGIONAL_TLS_IDENTITY);
  if (regionalHttps !== regionalTrustGiven || Boolean(config.REGIONAL_TLS_CA_FILE) !== Boolean(config.REGIONAL_TLS_IDENTITY)) {
    throw new ConfigError('gateway', [
      regionalHttps
        ? "REGIONAL_TLS_CA_FILE and REGIONAL_TLS_IDENTITY are required for an https REGIONAL_SUBGRAPH_URL: the regional subgraph's CA bundle and the DNS name its certificate carries"
        : 'REGIONAL_TLS_CA_FILE and REGIONAL_TLS_IDENTITY are only for an https REGIONAL_SUBGRAPH_URL, and go together',
    ]);
  }
  return {
    port: config.PORT,
    host: config.HOST,
    regionalUrl: config.REGIONAL_SUBGRAPH_URL,
    regionalTrust: regionalTrustGiven ? { caFile: config.REGIONAL_TLS_CA_FILE!, identity: config.REGIONAL_TLS_IDENTITY! } : undefined,
    /** HTTPS for the gateway's clients (no client certificate asked), and the client certificate it presents to the subgraphs. */
    transport: parseTransportEnv('gateway', source, { requireClientCertificates: false }),
    registryFile: config.REGISTRY_FILE,
    municipalityUrlOverrides: config.MUNICIPALITY_SUBGRAPH_URLS,
    supergraphFile: config.SUPERGRAPH_FILE,
    municipalitySdlFile: config.MUNICIPALITY_SDL_FILE,
    shardTimeoutMs: config.SHARD_TIMEOUT_MS,
    shardRetry: { retries: config.SHARD_RETRIES, baseMs: config.SHARD_RETRY_BASE_MS },
    shardBreaker: { failureThreshold: config.SHARD_BREAKER_FAILURES, cooldownMs: config.SHARD_BREAKER_COOLDOWN_MS },
    /** Active probe of every shard: a dead one shows in /ready and gateway_shard_up within intervalMs + timeoutMs. */
    shardProbe: { intervalMs: config.SHARD_PROBE_INTERVAL_MS, timeoutMs: config.SHARD_PROBE_TIMEOUT_MS },
    bodyLimit: config.BODY_LIMIT,
    limits: parseQueryLimitsEnv('gateway', source),
    auth: parseAuthEnv('gateway', source),
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
