import { provisionServiceDatabase, startEmbeddedPostgres, type RunningPostgres } from '@sodertorn/postgres';
import { randomBytes } from 'node:crypto';

export interface RegionDatabases {
  /** Connection URL per service: a municipality's code, or `regional`. */
  urls: Record<string, string>;
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
  for (const service of needsProvisioning) {
    urls[service] = await provisionServiceDatabase(adminUrl!, {
      name: `${options.prefix ?? 'sodertorn'}_${service}`,
      password: randomBytes(18).toString('base64url'),
    });
  }
  options.onStep(`databases ready: ${needsProvisioning.length} provisioned, ${services.length - needsProvisioning.length} given`);
  return { urls, embedded };
}
