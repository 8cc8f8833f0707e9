import { resolve } from 'node:path';

/**
 * `service.js migrate municipality|regional`: the service's own `migrate` command
 * (subgraphs/<service>/dist/migrate.js, runMigrateCommand): brings its database up to date as
 * the owner role (MIGRATION_DATABASE_URL), grants the runtime role (RUNTIME_ROLE) what the
 * service needs, then exits — the step a deployment runs (a Kubernetes Job or init container)
 * before the new version starts. See docs/database-roles.md. Exit code 0 when done, 1 with the
 * reason when not.
 */
const MIGRATE_SCRIPTS = {
  municipality: resolve(__dirname, '../../subgraphs/municipality/dist/migrate.js'),
  regional: resolve(__dirname, '../../subgraphs/regional/dist/migrate.js'),
} as const;

const service = process.argv[3];
if (service !== 'municipality' && service !== 'regional') {
  process.stderr.write(`usage: service.js migrate municipality|regional (got ${service ? `"${service}"` : 'nothing'})\n`);
  process.exit(1);
}
void import(MIGRATE_SCRIPTS[service]);
