import type { NotificationTiming } from './notifications/notification-config';
import {
  parseDrainEnv,
  DEFAULT_REGISTRY_FILE,
  env,
  parseAuthEnv,
  parseEnv,
  parseQueryLimitsEnv,
  parseServiceCredentialsEnv,
  parseTransportEnv,
  z,
} from '@sodertorn/service-kit';
import { parseShardClientEnv } from '@sodertorn/shard-client';
import { resolve } from 'node:path';

/** The municipal subgraph's SDL in this checkout (from src/ or dist/): what every deployment must serve. */
export const MUNICIPALITY_SDL_FILE = resolve(__dirname, '../../../schema/municipality.graphql');

/** Environment of the regional subgraph, parsed once at start. */
export function loadRegionalConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'regional subgraph',
    {
      DATABASE_URL: env.postgresUrl(),
      PORT: env.port(4100),
      HOST: env.host(),
      REGISTRY_FILE: z.string().default(DEFAULT_REGISTRY_FILE),
      MUNICIPALITY_SUBGRAPH_URLS: z.string().optional(),
      MUNICIPALITY_SDL_FILE: z.string().default(MUNICIPALITY_SDL_FILE),
      PLACEMENT_HOLD_MINUTES: z.coerce.number({ error: 'must be a whole number of minutes, 1–10080' }).int().min(1).max(10_080).default(60),
      RECONCILE_INTERVAL_MS: env.milliseconds(60_000),
      RECONCILE_GRACE_MS: env.milliseconds(120_000),
      STATISTICS_THRESHOLD: z.coerce.number({ error: 'must be a whole number, at least 3' }).int().min(3, 'must be at least 3 (never below)').default(5),
      NOTIFICATIONS_FILE: z.string().optional(),
      NOTIFY_INTERVAL_MS: env.milliseconds(10_000),
      NOTIFY_HOLD_WARNING_MINUTES: z.coerce.number({ error: 'must be a whole number of minutes, 1–10080' }).int().min(1).max(10_080).default(15),
      NOTIFY_ENDING_SOON_DAYS: z.coerce.number({ error: 'must be a whole number of days, 1–365' }).int().min(1).max(365).default(7),
      NOTIFY_UNAVAILABLE_AFTER_MINUTES: z.coerce.number({ error: 'must be a whole number of minutes, 1–1440' }).int().min(1).max(1_440).default(2),
      NOTIFY_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a whole number, 1–100' }).int().min(1).max(100).default(20),
      NOTIFY_RETRY_BASE_MS: env.milliseconds(5_000),
      NOTIFY_RETRY_MAX_MS: env.milliseconds(600_000),
      NOTIFY_SEND_TIMEOUT_MS: env.milliseconds(10_000),
      INTROSPECTION: env.boolean(false),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  const shards = parseShardClientEnv('regional subgraph', source);
  return {
    databaseUrl: config.DATABASE_URL,
    auth: parseAuthEnv('regional subgraph', source),
    /** HTTPS with mutual TLS (only the gateway calls it), and the client certificate it presents to the shards; plain HTTP only with ALLOW_PLAIN_HTTP=true. */
    transport: parseTransportEnv('regional subgraph', source, { requireClientCertificates: true }),
    /** The gateway's query limits (MAX_DEPTH, MAX_COST, MAX_ALIASES, MAX_TOKENS): the subgraph is reachable without the gateway. */
    /** How SIGTERM is drained (DRAIN_DELAY_MS, DRAIN_TIMEOUT_MS; see Listening.drain). */
    drain: parseDrainEnv('regional subgraph', source),
    limits: parseQueryLimitsEnv('regional subgraph', source),
    port: config.PORT,
    host: config.HOST,
    registryFile: config.REGISTRY_FILE,
    municipalityUrlOverrides: config.MUNICIPALITY_SUBGRAPH_URLS,
    /**
     * The region's own OAuth 2 client (role SERVICE) whose short-lived tokens it calls the shards
     * with for placement steps; without it placements cannot be made.
     */
    serviceCredentials: parseServiceCredentialsEnv('regional subgraph', source),
    shardTimeoutMs: shards.timeoutMs,
    /** Retries of shard queries and the per-shard circuit breaker, as the gateway's (SHARD_RETRIES, SHARD_BREAKER_*). */
    shardRetry: shards.retry,
    shardBreaker: shards.breaker,
    /** The SDL the shards are checked against before the region calls them (as the gateway does). */
    municipalitySdlFile: config.MUNICIPALITY_SDL_FILE,
    holdMinutes: config.PLACEMENT_HOLD_MINUTES,
    reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
    /** How long a placement step may be in flight before the reconciler finishes (or fails) it. */
    reconcileGraceMs: config.RECONCILE_GRACE_MS,
    /** Disclosure-control threshold of released statistics: cells 0 < n < threshold are suppressed (default 5, never below 3). */
    statisticsThreshold: config.STATISTICS_THRESHOLD,
    /** The channels' JSON file; without it events are recorded but sent nowhere. */
    notificationsFile: config.NOTIFICATIONS_FILE,
    notificationTiming: {
      intervalMs: config.NOTIFY_INTERVAL_MS,
      holdWarningMs: config.NOTIFY_HOLD_WARNING_MINUTES * 60_000,
      endingSoonDays: config.NOTIFY_ENDING_SOON_DAYS,
      unavailableAfterMs: config.NOTIFY_UNAVAILABLE_AFTER_MINUTES * 60_000,
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
      retryMaxMs: config.NOTIFY_RETRY_MAX_MS,
      sendTimeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
    } satisfies NotificationTiming,
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}
