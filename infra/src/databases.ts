import { provisionRuntimeRole, provisionServiceDatabase, startEmbeddedPostgres, type RunningPostgres } from '@sodertorn/postgres';
import { randomBytes } from 'node:crypto';

export interface RegionDatabases {
  /** Connection URL of the owner role per service (migrations, seeding): a municipality's code, or `regional`. */
  urls: Record<string, string>;
  /** Connection URL the service runs with: its runtime role's, or the given URL for a database given by URL. */
  runtimeUrls: Record<string, string>;
  /** The runtime role per provisioned service, for `migrate` to grant to. */
  runtimeRoles: Record<string, string>;
  /** The embedded server, when one was started. */
  embedded?: RunningPostgres;
}

/**
 * One database and one login role per municipality and one for the regional
 * subgraph, on an embedded server or on the server DATABASE_URL names. Each
 * role can connect only to its own database.
 */
export async function prepareRegionDatabases(
  codes: readonly string[],
  options: {
    adminUrl?: string;
    serviceUrls: Record<string, string>;
    /** Database and role names are `<prefix>_0126`, `<prefix>_regional`. */
    prefix?: string;
    onStep: (message: string) => void;
  },
): Promise<RegionDatabases> {
  const services = [...codes, 'regional'];
  const needsProvisioning = services.filter((service) => !options.serviceUrls[service]);
  let embedded: RunningPostgres | undefined;
  let adminUrl = options.adminUrl;
  if (needsProvisioning.length && !adminUrl) {
    options.onStep('starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres();
    adminUrl = embedded.adminUrl;
  }
  const urls: Record<string, string> = { ...options.serviceUrls };
  const runtimeUrls: Record<string, string> = { ...options.serviceUrls };
  const runtimeRoles: Record<string, string> = {};
  for (const service of needsProvisioning) {
    const name = `${options.prefix ?? 'sodertorn'}_${service}`;
    urls[service] = await provisionServiceDatabase(adminUrl!, { name, password: randomBytes(18).toString('base64url') });
    // The service runs as a second role that owns nothing (docs/database-roles.md).
    runtimeRoles[service] = `${name}_app`;
    runtimeUrls[service] = await provisionRuntimeRole(adminUrl!, name, { name: runtimeRoles[service], password: randomBytes(18).toString('base64url') });
  }
  options.onStep(`databases ready: ${needsProvisioning.length} provisioned, ${services.length - needsProvisioning.length} given`);
  return { urls, runtimeUrls, runtimeRoles, embedded };
}
