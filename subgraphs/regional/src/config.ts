import { DEFAULT_REGISTRY_FILE, env, parseAuthEnv, parseEnv, z } from '@sodertorn/service-kit';

/** Environment of the regional subgraph, parsed once at start. */
export function loadRegionalConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'regional subgraph',
    {
      DATABASE_URL: env.postgresUrl(),
      PORT: env.port(4100),
      HOST: env.host(),
      REGISTRY_FILE: z.string().default(DEFAULT_REGISTRY_FILE),
      INTROSPECTION: env.boolean(false),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return {
    databaseUrl: config.DATABASE_URL,
    auth: parseAuthEnv('regional subgraph', source),
    port: config.PORT,
    host: config.HOST,
    registryFile: config.REGISTRY_FILE,
    introspection: config.INTROSPECTION,
    logLevel: config.LOG_LEVEL,
  };
}
