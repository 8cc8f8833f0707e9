import { createTokenVerifier } from '@sodertorn/auth';
import { trustedIssuersOf, WEB_CLIENT_ID } from '@sodertorn/identity-provider';
import { findFreePort, preferredOrFreePort, type RunningPostgres } from '@sodertorn/postgres';
import { listen, loadRegistry, type Listening, type MunicipalityEntry } from '@sodertorn/service-kit';
import { writeRegionPki, type RegionPkiFiles } from '@sodertorn/testing';
import { createWebServer, WEB_BUILD } from '@sodertorn/web';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunnerConfig } from './config';
import { prepareRegionDatabases } from './databases';
import { devCaseReferenceKey, openDevStatisticsKeys, serviceClientEnv, startDevIdentity, type DevIdentity } from './dev-identity';
import { removeRegionFile, writeRegionFile } from './region-file';
import { migrateAndSeedRegion } from './seed-region';
import { stopServices, SupervisedService, type ServiceProcess, type ServiceSpec } from './service-processes';

export interface LocalRegion {
  gatewayUrl: string;
  /** The web app, served by the runner's own web server. */
  webUrl: string;
  identity: DevIdentity;
  services: ServiceProcess[];
  members: MunicipalityEntry[];
  logDir: string;
  /** The development PKI every service was started with (CAs, certificates, identities). */
  certificates: RegionPkiFiles;
  stop(): Promise<void>;
}

/** Where `npm start` keeps its development CAs and service certificates (outside git). */
export const DEV_CERTIFICATE_DIR = resolve(__dirname, '../../.data/certificates');

/** The repository root: each service's compiled main.js is found from here (the packages export no `dist/` subpaths). */
const REPO = resolve(__dirname, '../..');
const SCRIPTS = {
  municipality: join(REPO, 'subgraphs/municipality/dist/main.js'),
  regional: join(REPO, 'subgraphs/regional/dist/main.js'),
  gateway: join(REPO, 'gateway/dist/main.js'),
};

/**
 * Brings up the whole region on this machine: databases, migrations, demo data,
 * eight municipal deployments, the regional subgraph and the gateway — each
 * service its own process on its own free port with its own database role.
 */
export async function startLocalRegion(
  config: RunnerConfig,
  today: string,
  say: (line: string) => void,
  options: {
    databasePrefix?: string;
    logDir?: string;
    /** Leave .data/region.json for the CLI tools (npm start does). */
    writeRegionFile?: boolean;
    /** Where the development CAs and certificates go (default .data/certificates). */
    certificateDir?: string;
    /** Where the identity providers keep their keys and the trust file (default .data/dev-identity). */
    identityDir?: string;
  } = {},
): Promise<LocalRegion> {
  const members = loadRegistry();
  const logDir = options.logDir ?? resolve(__dirname, '../../.data/logs');
  const services: SupervisedService[] = [];
  let embedded: RunningPostgres | undefined;
  let web: Listening | undefined;
  let identity: DevIdentity | undefined;
  const stop = async () => {
    if (options.writeRegionFile) removeRegionFile();
    await web?.close();
    await stopServices(services);
    await identity?.providers.stop();
    await embedded?.stop();
  };

  try {
    const databases = await prepareRegionDatabases(
      members.map((m) => m.code),
      { adminUrl: config.adminDatabaseUrl, serviceUrls: config.serviceDatabaseUrls, prefix: options.databasePrefix, onStep: say },
    );
    embedded = databases.embedded;
    say(config.seed ? 'migrating and seeding demo data' : 'migrating');
    await migrateAndSeedRegion(members, databases.urls, {
      seed: config.seed,
      today,
      report: (line) => say(`  ${line}`),
      runtimeRoles: databases.runtimeRoles,
    });

    // The ports first: the web server's origin is where the web app signs in from (its redirect URIs).
    const gatewayPort = await preferredOrFreePort(config.gatewayPort);
    const webPort = await preferredOrFreePort(config.webPort);
    const webOrigin = `http://127.0.0.1:${webPort}`;
    const gatewayOrigin = `https://127.0.0.1:${gatewayPort}`;
    const viteOrigin = 'http://localhost:5173';
    mkdirSync(logDir, { recursive: true });
    const dev = await startDevIdentity(members, {
      webRedirectUris: config.webRedirectUris ?? [`${webOrigin}/auth/callback`, `${viteOrigin}/auth/callback`],
      webPostLogoutRedirectUris: config.webPostLogoutRedirectUris ?? [`${webOrigin}/`, `${viteOrigin}/`],
      logFile: join(logDir, 'identity-providers.log'),
      keyDir: options.identityDir,
    });
    identity = dev;
    say(
      `identity providers: ${Object.entries(dev.providers.issuers)
        .map(([name, url]) => `${name} ${url}`)
        .join(', ')}`,
    );
    const common = { LOG_LEVEL: config.logLevel, HOST: '127.0.0.1', ...dev.authEnv };
    // TLS everywhere, as in production: a CA per municipality for its shard, the region's CA for the
    // gateway and the regional subgraph; shards and the regional subgraph accept only mutual TLS.
    say('issuing development certificates');
    const certificates = await writeRegionPki(
      options.certificateDir ?? DEV_CERTIFICATE_DIR,
      members.map((m) => m.code),
    );
    const served = (files: { certFile: string; keyFile: string }) => ({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile });
    const shardPorts = Object.fromEntries(await Promise.all(members.map(async (m) => [m.code, await findFreePort()] as const)));
    const shardUrls = Object.fromEntries(members.map((m) => [m.code, `https://127.0.0.1:${shardPorts[m.code]}/graphql`]));
    // The registry the gateway and the regional subgraph read: each shard's URL, CA and identity.
    const registryFile = join(certificates.dir, 'registry.json');
    const registry = members.map((m) => ({
      ...m,
      url: shardUrls[m.code]!,
      tls: { caFile: certificates.municipalities[m.code]!.caFile, identity: certificates.municipalities[m.code]!.identity },
    }));
    writeFileSync(registryFile, JSON.stringify(registry, null, 2));
    const regionalPort = await findFreePort();
    const regionalUrl = `https://127.0.0.1:${regionalPort}/graphql`;
    // Secure aggregation by X25519 key agreement, as in production: each shard its own private key.
    const statisticsKeys = openDevStatisticsKeys(members.map((m) => m.code));
    say('starting services');
    // Each is recorded as soon as it is up, so a failure elsewhere still stops it. A service that
    // stops later on is restarted after a back-off, as a production supervisor would (see SupervisedService).
    const launch = async (spec: Omit<ServiceSpec, 'logDir'>) => services.push(await SupervisedService.start({ ...spec, logDir }, say));
    // Shards and the regional subgraph boot in parallel; the gateway last, so it can verify every shard's SDL.
    await Promise.all([
      ...members.map((member) =>
        launch({
          name: `municipality-${member.code}`,
          script: SCRIPTS.municipality,
          env: {
            ...common,
            MUNICIPALITY_CODE: member.code,
            DATABASE_URL: databases.runtimeUrls[member.code]!,
            CASE_REFERENCE_KEY: devCaseReferenceKey(),
            STATISTICS_PRIVATE_KEY_FILE: statisticsKeys.privateKeyFiles[member.code]!,
            STATISTICS_PUBLIC_KEYS: statisticsKeys.publicKeys,
            PORT: String(shardPorts[member.code]),
            ...served(certificates.municipalities[member.code]!),
            TLS_CA_FILE: certificates.regionCaFile,
            TLS_CLIENT_IDENTITIES: `${certificates.gateway.identity},${certificates.regional.identity}`,
          },
          url: shardUrls[member.code]!,
        }),
      ),
      launch({
        name: 'regional',
        script: SCRIPTS.regional,
        env: {
          ...common,
          DATABASE_URL: databases.runtimeUrls.regional!,
          PORT: String(regionalPort),
          REGISTRY_FILE: registryFile,
          ...served(certificates.regional),
          TLS_CA_FILE: certificates.regionCaFile,
          TLS_CLIENT_IDENTITIES: certificates.gateway.identity,
          // The region's own client for placement steps on the shards (role SERVICE, nothing personal):
          // it fetches short-lived tokens from the region's provider and renews them itself.
          ...serviceClientEnv(dev, dev.regionalService),
        },
        url: regionalUrl,
      }),
    ]);
    const gatewayUrl = `${gatewayOrigin}/graphql`;
    const gatewayEnv = {
      ...common,
      PORT: String(gatewayPort),
      ...served(certificates.gateway),
      REGIONAL_SUBGRAPH_URL: regionalUrl,
      REGIONAL_TLS_CA_FILE: certificates.regionCaFile,
      REGIONAL_TLS_IDENTITY: certificates.regional.identity,
      REGISTRY_FILE: registryFile,
      SHARD_TIMEOUT_MS: String(config.shardTimeoutMs),
      INTROSPECTION: 'true',
      // The web app's operations by id; documents stay allowed here (development), see docs/web.md.
      PERSISTED_OPERATIONS_FILE: WEB_BUILD.persistedOperationsFile,
    };
    await launch({ name: 'gateway', script: SCRIPTS.gateway, env: gatewayEnv, url: gatewayUrl });
    services.sort((a, b) => a.name.localeCompare(b.name));
    // The web app's server, in this process: people sign in at their organisation's provider.
    web = await listen(
      createWebServer({
        gatewayUrl,
        gatewayCa: readFileSync(certificates.regionCaFile, 'utf8'),
        ...WEB_BUILD,
        oidc: {
          organisations: dev.specs.map((spec) => ({ id: spec.name, name: spec.displayName, issuer: dev.providers.issuers[spec.name]! })),
          clientId: WEB_CLIENT_ID,
          redirectUri: `${webOrigin}/auth/callback`,
          postLogoutRedirectUri: `${webOrigin}/`,
          verifier: createTokenVerifier({ issuers: trustedIssuersOf(dev.specs, dev.providers.issuers) }),
          // The development providers speak plain HTTP on 127.0.0.1; a deployment's never do.
          allowInsecureRequests: true,
        },
      }),
      webPort,
    );
    const webUrl = new URL('/', web.url).toString();
    if (options.writeRegionFile) {
      writeRegionFile({
        gatewayUrl,
        gatewayCaFile: certificates.regionCaFile,
        databaseUrls: databases.urls,
        identity: { issuers: dev.providers.issuers, devTokenSecret: dev.devTokenSecret },
      });
    }
    return { gatewayUrl, webUrl, identity: dev, services, members, logDir, certificates, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
