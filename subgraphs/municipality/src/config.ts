import { env, parseAuthEnv, parseEnv, z } from '@sodertorn/service-kit';

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
      STATISTICS_SEED_SECRET: z
        .string({ error: 'must be the secret the masks of secure aggregation are derived from, at least 32 characters' })
        .min(32, 'must be the secret the masks of secure aggregation are derived from, at least 32 characters')
        .optional(),
      STATISTICS_THRESHOLD: z.coerce.number({ error: 'must be a whole number, at least 3' }).int().min(3, 'must be at least 3 (never below)').default(5),
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
     * DEVELOPMENT secure aggregation: the pairwise mask seeds are derived from this secret
     * (devPairwiseSeed). Every deployment must set its own; without it maskedStatistics refuses.
     */
    statisticsSeedSecret: config.STATISTICS_SEED_SECRET,
    /** Disclosure-control threshold of the tables this municipality releases itself (default 5, never below 3). */
    statisticsThreshold: config.STATISTICS_THRESHOLD,
    auth: parseAuthEnv('municipality subgraph', source),
    port: config.PORT,
    host: config.HOST,
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}

export type MunicipalityConfig = ReturnType<typeof loadMunicipalityConfig>;
