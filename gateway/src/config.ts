import {
  ConfigError,
  parseDrainEnv,
  DEFAULT_REGISTRY_FILE,
  env,
  parseAuthEnv,
  parseEnv,
  parseQueryLimitsEnv,
  parseTransportEnv,
  z,
} from '@sodertorn/service-kit';
import { parseShardClientEnv } from '@sodertorn/shard-client';
import { resolve } from 'node:path';
import { DEFAULT_REGIONAL_TIMEOUT_MS } from './datasources/regional-data-source';

const SCHEMA_DIR = resolve(__dirname, '../../schema');

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
      REGIONAL_TIMEOUT_MS: env.milliseconds(DEFAULT_REGIONAL_TIMEOUT_MS),
      REGISTRY_FILE: z.string().default(DEFAULT_REGISTRY_FILE),
      MUNICIPALITY_SUBGRAPH_URLS: z.string().optional(),
      SUPERGRAPH_FILE: z.string().default(resolve(SCHEMA_DIR, 'supergraph.graphql')),
      MUNICIPALITY_SDL_FILE: z.string().default(resolve(SCHEMA_DIR, 'municipality.graphql')),
      BODY_LIMIT: z.string().default('100kb'),
      INTROSPECTION: env.boolean(false),
      PERSISTED_OPERATIONS_FILE: z.string().optional(),
      TRUSTED_DOCUMENTS_REQUIRED: env.boolean(false),
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
  if (config.TRUSTED_DOCUMENTS_REQUIRED && !config.PERSISTED_OPERATIONS_FILE) {
    // Otherwise the requirement would be silently dropped and every document let through.
    throw new ConfigError('gateway', [
      "TRUSTED_DOCUMENTS_REQUIRED: needs PERSISTED_OPERATIONS_FILE, the web app's persisted-operation manifest (web/persisted-operations.json) that names the trusted documents",
    ]);
  }
  const shards = parseShardClientEnv('gateway', source);
  return {
    port: config.PORT,
    host: config.HOST,
    regionalUrl: config.REGIONAL_SUBGRAPH_URL,
    /** How long a GraphQL call to the regional subgraph may take before the caller is told REGIONAL_SERVICE_UNAVAILABLE. */
    regionalTimeoutMs: config.REGIONAL_TIMEOUT_MS,
    regionalTrust: regionalTrustGiven ? { caFile: config.REGIONAL_TLS_CA_FILE!, identity: config.REGIONAL_TLS_IDENTITY! } : undefined,
    /** HTTPS for the gateway's clients (no client certificate asked), and the client certificate it presents to the subgraphs. */
    transport: parseTransportEnv('gateway', source, { requireClientCertificates: false }),
    registryFile: config.REGISTRY_FILE,
    municipalityUrlOverrides: config.MUNICIPALITY_SUBGRAPH_URLS,
    supergraphFile: config.SUPERGRAPH_FILE,
    municipalitySdlFile: config.MUNICIPALITY_SDL_FILE,
    shardTimeoutMs: shards.timeoutMs,
    shardRetry: shards.retry,
    shardBreaker: shards.breaker,
    /** Active probe of every shard: a dead one shows in /ready and gateway_shard_up within intervalMs + timeoutMs. */
    shardProbe: shards.probe,
    bodyLimit: config.BODY_LIMIT,
    /** How SIGTERM is drained (DRAIN_DELAY_MS, DRAIN_TIMEOUT_MS; see Listening.drain). */
    drain: parseDrainEnv('gateway', source),
    limits: parseQueryLimitsEnv('gateway', source),
    auth: parseAuthEnv('gateway', source),
    introspection: config.INTROSPECTION,
    persistedOperationsFile: config.PERSISTED_OPERATIONS_FILE,
    trustedDocumentsRequired: config.TRUSTED_DOCUMENTS_REQUIRED,
    logLevel: config.LOG_LEVEL,
  };
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
