import 'reflect-metadata';
import { openMunicipalityDatabase } from '@sodertorn/municipality';
import { openRegionalDatabase } from '@sodertorn/regional';
import { env, parseEnv } from '@sodertorn/service-kit';

/**
 * `service.js migrate municipality|regional`: brings the database DATABASE_URL
 * names up to date with the service's committed migrations, then exits — the
 * step a deployment runs (a Kubernetes Job or init container) before the new
 * version starts. Exit code 0 when done, 1 with the reason when not.
 */
async function migrate(): Promise<void> {
  const service = process.argv[3];
  if (service !== 'municipality' && service !== 'regional') {
    throw new Error(`usage: service.js migrate municipality|regional (got ${service ? `"${service}"` : 'nothing'})`);
  }
  const { DATABASE_URL } = parseEnv(`migrate ${service}`, { DATABASE_URL: env.postgresUrl() });
  const orm = service === 'municipality' ? await openMunicipalityDatabase(DATABASE_URL) : await openRegionalDatabase(DATABASE_URL);
  await orm.close();
  process.stdout.write(`migrate ${service}: the database is up to date\n`);
}

migrate().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
