import { Role } from '@sodertorn/auth';
import { findFreePort, preferredOrFreePort, type RunningPostgres } from '@sodertorn/postgres';
import { loadRegistry, type MunicipalityEntry } from '@sodertorn/service-kit';
import { join, resolve } from 'node:path';
import type { RunnerConfig } from './config';
import { prepareRegionDatabases } from './databases';
import { devCaseReferenceKey, openDevIdentity, openDevStatisticsKeys, type DevIdentity } from './dev-identity';
import { removeRegionFile, writeRegionFile } from './region-file';
import { migrateAndSeedRegion } from './seed-region';
import { startServiceProcess, stopServiceProcesses, type ServiceProcess } from './service-processes';

export interface LocalRegion {
  gatewayUrl: string;
  identity: DevIdentity;
  services: ServiceProcess[];
  members: MunicipalityEntry[];
  logDir: string;
  stop(): Promise<void>;
}

const SCRIPTS = {
  municipality: require.resolve('@sodertorn/municipality/dist/main.js'),
  regional: require.resolve('@sodertorn/regional/dist/main.js'),
  gateway: require.resolve('@sodertorn/gateway/dist/main.js'),
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
  options: { databasePrefix?: string; logDir?: string; /** Leave .data/region.json for the CLI tools (npm start does). */ writeRegionFile?: boolean } = {},
): Promise<LocalRegion> {
  const members = loadRegistry();
  const logDir = options.logDir ?? resolve(__dirname, '../../.data/logs');
  const services: ServiceProcess[] = [];
  let embedded: RunningPostgres | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (options.writeRegionFile) removeRegionFile();
    await stopServiceProcesses(services);
    await embedded?.stop();
  };
  const onExit = (name: string, code: number | null) => {
    if (!stopping) say(`! ${name} stopped (exit code ${code}); the others keep running. Its log: ${join(logDir, `${name}.log`)}`);
  };

  try {
    const databases = await prepareRegionDatabases(
      members.map((m) => m.code),
      { adminUrl: config.adminDatabaseUrl, serviceUrls: config.serviceDatabaseUrls, prefix: options.databasePrefix, onStep: say },
    );
    embedded = databases.embedded;
    say(config.seed ? 'migrating and seeding demo data' : 'migrating');
    await migrateAndSeedRegion(members, databases.urls, { seed: config.seed, today, report: (line) => say(`  ${line}`) });

    const identity = await openDevIdentity();
    const common = { LOG_LEVEL: config.logLevel, HOST: '127.0.0.1', ...identity.authEnv };
    const shardPorts = Object.fromEntries(await Promise.all(members.map(async (m) => [m.code, await findFreePort()] as const)));
    const shardUrls = Object.fromEntries(members.map((m) => [m.code, `http://127.0.0.1:${shardPorts[m.code]}/graphql`]));
    const shardUrlList = Object.entries(shardUrls).map(([code, url]) => `${code}=${url}`).join(',');
    const regionalPort = await findFreePort();
    const regionalUrl = `http://127.0.0.1:${regionalPort}/graphql`;
    // The region's own credentials for placement steps on the shards (role SERVICE, nothing personal).
    const serviceToken = await identity.issuer.mint({ sub: 'regional-service', roles: [Role.SERVICE], expiresIn: '30d' });
    // Secure aggregation by X25519 key agreement, as in production: each shard its own private key.
    const statisticsKeys = openDevStatisticsKeys(members.map((m) => m.code));
    say('starting services');
    // Each is recorded as soon as it is up, so a failure elsewhere still stops it.
    const launch = async (...args: Parameters<typeof startServiceProcess>) => services.push(await startServiceProcess(...args));
    // Shards and the regional subgraph boot in parallel; the gateway last, so it can verify every shard's SDL.
    await Promise.all([
      ...members.map((member) =>
        launch(
          `municipality-${member.code}`,
          SCRIPTS.municipality,
          {
            ...common,
            MUNICIPALITY_CODE: member.code,
            DATABASE_URL: databases.urls[member.code]!,
            CASE_REFERENCE_KEY: devCaseReferenceKey(),
            STATISTICS_PRIVATE_KEY_FILE: statisticsKeys.privateKeyFiles[member.code]!,
            STATISTICS_PUBLIC_KEYS: statisticsKeys.publicKeys,
            PORT: String(shardPorts[member.code]),
          },
          shardUrls[member.code]!,
          logDir,
          onExit,
        ),
      ),
      launch(
        'regional',
        SCRIPTS.regional,
        { ...common, DATABASE_URL: databases.urls.regional!, PORT: String(regionalPort), MUNICIPALITY_SUBGRAPH_URLS: shardUrlList, SERVICE_TOKEN: serviceToken },
        regionalUrl,
        logDir,
        onExit,
      ),
    ]);
    const gatewayPort = await preferredOrFreePort(config.gatewayPort);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const gatewayEnv = {
      ...common,
      PORT: String(gatewayPort),
      REGIONAL_SUBGRAPH_URL: regionalUrl,
      MUNICIPALITY_SUBGRAPH_URLS: shardUrlList,
      SHARD_TIMEOUT_MS: String(config.shardTimeoutMs),
      INTROSPECTION: 'true',
    };
    await launch('gateway', SCRIPTS.gateway, gatewayEnv, gatewayUrl, logDir, onExit);
    services.sort((a, b) => a.name.localeCompare(b.name));
    if (options.writeRegionFile) writeRegionFile({ gatewayUrl, databaseUrls: databases.urls });
    return { gatewayUrl, identity, services, members, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
