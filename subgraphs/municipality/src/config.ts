import { parseDrainEnv, env, parseAuthEnv, parseEnv, parseQueryLimitsEnv, parseTransportEnv, z } from '@sodertorn/service-kit';
import { retentionSettingsShape } from './retention/retention-settings';
import { statisticsSeedsFromConfig } from './statistics/pairwise-seeds';

/** Environment of one municipal deployment, parsed once at start. */
export function loadMunicipalityConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'municipality subgraph',
    {
      MUNICIPALITY_CODE: env.municipalityCode(),
      DATABASE_URL: env.postgresUrl(),
      CASE_REFERENCE_KEY: z
        .string({ error: "must be this municipality's own secret for case references, at least 32 characters" })
        .min(32, "must be this municipality's own secret for case references, at least 32 characters"),
      STATISTICS_PRIVATE_KEY_FILE: z.string().optional(),
      // Public keys are not secret, but they must come from this deployment's own trusted
      // configuration, never from the region (e.g. with a round): a region that could hand a
      // shard "member keys" could hand it keys of its own, agree every pairwise seed with the
      // shard itself, and unmask the shard's vector.
      STATISTICS_PUBLIC_KEYS: z.string().optional(),
      STATISTICS_SEED_SECRET: z
        .string({ error: 'must be the secret the masks of secure aggregation are derived from, at least 32 characters' })
        .min(32, 'must be the secret the masks of secure aggregation are derived from, at least 32 characters')
        .optional(),
      STATISTICS_COVERAGE_LOCK_HOURS: z.coerce
        .number({ error: 'must be a whole number of hours, 0 or more (0 turns the lock off)' })
        .int('must be a whole number of hours, 0 or more (0 turns the lock off)')
        .min(0, 'must be a whole number of hours, 0 or more (0 turns the lock off)')
        .default(720),
      STATISTICS_THRESHOLD: z.coerce.number({ error: 'must be a whole number, at least 3' }).int().min(3, 'must be at least 3 (never below)').default(5),
      // 30 days is far beyond any retry of the placement saga (minutes; at most a 7-day hold): see idempotency/pruning.ts.
      IDEMPOTENCY_RETENTION_DAYS: z.coerce
        .number({ error: 'must be a whole number of days, at least 1 (and at most 36500)' })
        .int('must be a whole number of days, at least 1 (and at most 36500)')
        .min(1, 'must be a whole number of days, at least 1 (and at most 36500)')
        .max(36_500, 'must be a whole number of days, at least 1 (and at most 36500)')
        .default(30),
      // Applied by the `cull` command only (retention/); checked here so a typo in the shared settings stops the service too.
      ...retentionSettingsShape,
      PORT: env.port(4101),
      HOST: env.host(),
      INTROSPECTION: env.boolean(false),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return {
    municipalityCode: config.MUNICIPALITY_CODE,
    databaseUrl: config.DATABASE_URL,
    caseReferenceKey: config.CASE_REFERENCE_KEY,
    /**
     * The pairwise mask seeds of secure aggregation: X25519 key agreement (STATISTICS_PRIVATE_KEY_FILE
     * and STATISTICS_PUBLIC_KEYS), else the DEVELOPMENT secret all shards share (STATISTICS_SEED_SECRET),
     * else none (the shard takes part in no round). Keys are read and checked here, once.
     */
    statisticsSeedSource: statisticsSeedsFromConfig({
      municipalityCode: config.MUNICIPALITY_CODE,
      privateKeyFile: config.STATISTICS_PRIVATE_KEY_FILE,
      publicKeys: config.STATISTICS_PUBLIC_KEYS,
      seedSecret: config.STATISTICS_SEED_SECRET,
    }),
    /** Disclosure-control threshold of the tables this municipality releases itself (default 5, never below 3). */
    statisticsThreshold: config.STATISTICS_THRESHOLD,
    /** Hours during which this shard takes part in a year's rounds only over the same participants (0: no lock). */
    statisticsCoverageLockHours: config.STATISTICS_COVERAGE_LOCK_HOURS,
    /** Days an idempotency key's stored result is kept; a replay after that is a new call (default 30). */
    idempotencyRetentionDays: config.IDEMPOTENCY_RETENTION_DAYS,
    auth: parseAuthEnv('municipality subgraph', source),
    /** HTTPS with mutual TLS: only the region's services (TLS_CA_FILE, TLS_CLIENT_IDENTITIES) may call; plain HTTP only with ALLOW_PLAIN_HTTP=true. */
    transport: parseTransportEnv('municipality subgraph', source, { requireClientCertificates: true }),
    /** The gateway's query limits (MAX_DEPTH, MAX_COST, MAX_ALIASES, MAX_TOKENS): the shard is reachable without the gateway. */
    /** How SIGTERM is drained (DRAIN_DELAY_MS, DRAIN_TIMEOUT_MS; see Listening.drain). */
    drain: parseDrainEnv('municipality subgraph', source),
    limits: parseQueryLimitsEnv('municipality subgraph', source),
    port: config.PORT,
    host: config.HOST,
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}

export type MunicipalityConfig = ReturnType<typeof loadMunicipalityConfig>;
