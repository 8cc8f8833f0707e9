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
    auth: parseAuthEnv('municipality subgraph', source),
    port: config.PORT,
    host: config.HOST,
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}

export type MunicipalityConfig = ReturnType<typeof loadMunicipalityConfig>;
