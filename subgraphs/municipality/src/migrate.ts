import 'reflect-metadata';
import { createLogger, env, parseEnv, z } from '@sodertorn/service-kit';
import { migrateMunicipalityDatabase } from './database/orm';

/**
 * `migrate`: brings one municipality's database up to date as its owner role, then grants the
 * runtime role (RUNTIME_ROLE) what the service needs, and exits. Run it before starting a new
 * version (a Kubernetes Job or init container); the service itself connects as the runtime role
 * and refuses to start while a migration is pending. See docs/database-roles.md.
 */
async function main(): Promise<void> {
  const config = parseEnv('municipality migrate', {
    MIGRATION_DATABASE_URL: env.postgresUrl(),
    RUNTIME_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be the runtime login role, lower-case letters, digits and _')
      .optional(),
    LOG_LEVEL: env.logLevel(),
  });
  const logger = createLogger('municipality-migrate', config.LOG_LEVEL);
  const ran = await migrateMunicipalityDatabase(config.MIGRATION_DATABASE_URL, config.RUNTIME_ROLE, (message) => logger.debug(message));
  logger.info({ migrations: ran, runtimeRole: config.RUNTIME_ROLE ?? null }, ran.length ? 'migrated' : 'no migration pending');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error && error.name === 'ConfigError' ? error.message : `migrate failed: ${(error as Error)?.stack ?? error}`}\n`);
  process.exit(1);
});
