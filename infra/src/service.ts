import { resolve } from 'node:path';

/**
 * The one entry point of the OCI image (see Containerfile): its first argument
 * chooses the service, everything else comes from the environment, exactly as
 * when the service's own main is started.
 *
 *   node infra/dist/service.js gateway | regional | municipality | web | migrate <municipality|regional> | cull [--dry-run | hold … | lift …]
 *
 * Paths follow the repository's layout, which the image keeps (/app/infra, /app/gateway, …).
 */
const ROOT = resolve(__dirname, '../..');
export const SERVICE_SCRIPTS = {
  gateway: resolve(ROOT, 'gateway/dist/main.js'),
  regional: resolve(ROOT, 'subgraphs/regional/dist/main.js'),
  municipality: resolve(ROOT, 'subgraphs/municipality/dist/main.js'),
  /** The web app's server (web/server/main.ts): the built app, sign-in, the registered operations to the gateway. */
  web: resolve(ROOT, 'web/dist-server/main.js'),
  migrate: resolve(__dirname, 'migrate.js'),
  /** A municipality's retention job (a CronJob): subgraphs/municipality/src/cull.ts. */
  cull: resolve(ROOT, 'subgraphs/municipality/dist/cull.js'),
} as const;

export type ServiceCommand = keyof typeof SERVICE_SCRIPTS;

async function main(): Promise<void> {
  const command = process.argv[2];
  if (!command || !(command in SERVICE_SCRIPTS)) {
    process.stderr.write(`usage: service.js ${Object.keys(SERVICE_SCRIPTS).join(' | ')} (got ${command ? `"${command}"` : 'nothing'})\n`);
    process.exit(2);
  }
  await import(SERVICE_SCRIPTS[command as ServiceCommand]);
}

if (require.main === module) void main();
