import { env, parseEnv, z } from '@sodertorn/service-kit';

/**
 * The local runner's environment. Everything is optional: with nothing set it
 * starts an embedded PostgreSQL and picks free ports.
 */
export function loadRunnerConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'npm start',
    {
      DATABASE_URL: env.postgresUrl().optional(),
      GATEWAY_PORT: env.port(4000),
      WEB_PORT: env.port(4080),
      SHARD_TIMEOUT_MS: env.milliseconds(5_000),
      LOG_LEVEL: env.logLevel(),
      DEMO_SEED: env.boolean(true),
      WEB_REDIRECT_URIS: z.string().optional(),
      WEB_POST_LOGOUT_REDIRECT_URIS: z.string().optional(),
    },
    source,
  );
  /** Per-service database URLs (`DATABASE_URL_0126`, `DATABASE_URL_REGIONAL`) win over provisioning. */
  const serviceDatabaseUrls = Object.fromEntries(
    Object.entries(source)
      .filter(([key, value]) => /^DATABASE_URL_(\d{4}|REGIONAL)$/.test(key) && value)
      .map(([key, value]) => [key.slice('DATABASE_URL_'.length).toLowerCase(), value as string]),
  );
  return {
    adminDatabaseUrl: config.DATABASE_URL,
    serviceDatabaseUrls,
    gatewayPort: config.GATEWAY_PORT,
    webPort: config.WEB_PORT,
    shardTimeoutMs: config.SHARD_TIMEOUT_MS,
    logLevel: config.LOG_LEVEL,
    seed: config.DEMO_SEED,
    /** Where the identity providers may send the web app's sign-in back to (comma-separated; default: the web server's origin (WEB_PORT) and Vite's dev server). */
    webRedirectUris: list(config.WEB_REDIRECT_URIS),
    webPostLogoutRedirectUris: list(config.WEB_POST_LOGOUT_REDIRECT_URIS),
  };
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export type RunnerConfig = ReturnType<typeof loadRunnerConfig>;
