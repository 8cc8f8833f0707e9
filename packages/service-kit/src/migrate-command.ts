import { env, parseEnv, z } from './config';
import { createLogger } from './logger';

/** Brings a database up to date as its owner and grants the runtime role; the migrations that ran. */
export type MigrateDatabase = (ownerUrl: string, runtimeRole: string | undefined, log: (message: string) => void) => Promise<string[]>;

/**
 * The `migrate` command of a service: brings its database up to date as its owner role
 * (MIGRATION_DATABASE_URL), then grants the runtime role (RUNTIME_ROLE) what the service needs, and
 * exits. Run it before starting a new version (a Kubernetes Job or init container); the service itself
 * connects as the runtime role and refuses to start while a migration is pending. See docs/database-roles.md.
 */
export function runMigrateCommand(service: string, migrate: MigrateDatabase): void {
  const run = async () => {
    const config = parseEnv(`${service} migrate`, {
      MIGRATION_DATABASE_URL: env.postgresUrl(),
      RUNTIME_ROLE: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be the runtime login role, lower-case letters, digits and _')
        .optional(),
      LOG_LEVEL: env.logLevel(),
    });
    const logger = createLogger(`${service}-migrate`, config.LOG_LEVEL);
    const ran = await migrate(config.MIGRATION_DATABASE_URL, config.RUNTIME_ROLE, (message) => logger.debug(message));
    logger.info({ migrations: ran, runtimeRole: config.RUNTIME_ROLE ?? null }, ran.length ? 'migrated' : 'no migration pending');
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error && error.name === 'ConfigError' ? error.message : `migrate failed: ${(error as Error)?.stack ?? error}`}\n`);
    process.exit(1);
  });
}
