import 'reflect-metadata';
import { createTokenVerifier } from '@sodertorn/auth';
import {
  certificateExpiryRegistry,
  createLogger,
  drainBound,
  listen,
  reloadRevokedClients,
  runUntilStopped,
  ServiceTls,
  type Logger,
} from '@sodertorn/service-kit';
import { loadMunicipalityConfig } from './config';
import { connectMunicipalityDatabase } from './database/orm';
import { startIdempotencyPruning } from './idempotency/pruning';
import { createMunicipalityServer } from './server';
import type { StatisticsSeedSource } from './statistics/pairwise-seeds';

/** Starts one municipality's deployment: parse config, connect (its `migrate` ran first: migrate.ts), listen, prune old idempotency keys hourly. */
runUntilStopped(async () => {
  const config = loadMunicipalityConfig();
  const logger = createLogger(`municipality-${config.municipalityCode}`, config.logLevel);
  logStatisticsSeedSource(logger, config.statisticsSeedSource, config.statisticsCoverageLockHours);
  const tls = new ServiceTls(config.transport, logger);
  const verifier = createTokenVerifier(config.auth);
  // A client revoked in the trust file is refused at once, without a restart.
  const revocations = reloadRevokedClients(config.auth, verifier, logger);
  const orm = await connectMunicipalityDatabase(config.databaseUrl, (message) => logger.debug(message));
  const pruning = startIdempotencyPruning(orm, { retentionDays: config.idempotencyRetentionDays, logger });
  const server = await createMunicipalityServer({
    ...config,
    statisticsKeyring: config.statisticsSeedSource.keyring,
    orm,
    logger,
    verifier,
    metrics: [certificateExpiryRegistry(tls)],
  });
  const listening = await listen(server.app, config.port, config.host, tls, config.transport.managementPort);
  logger.info({ url: listening.url, management: listening.management?.url, municipalityCode: config.municipalityCode }, 'municipal subgraph listening');
  return {
    stop: async () => {
      logger.info(await listening.drain(config.drain), 'drained');
      await pruning.stop();
      await server.stop();
      await orm.close();
      tls.close();
      revocations.close();
    },
    stopWithinMs: drainBound(config.drain),
  };
});

/** Says where the mask seeds come from (never a key or the secret). */
function logStatisticsSeedSource(logger: Logger, source: StatisticsSeedSource, coverageLockHours: number): void {
  const fields = { statisticsSeeds: source.mode, coverageLockHours, ...(source.ignored.length ? { ignored: source.ignored } : {}) };
  if (source.mode === 'x25519') {
    const ownVersions = source.keyring?.info.own.map((v) => v.version);
    logger.info({ ...fields, members: source.members?.length, ownVersions }, 'statistics: pairwise mask seeds from X25519 key agreement');
  } else if (source.mode === 'development-secret') {
    logger.warn(fields, 'statistics: DEVELOPMENT mask seeds from the shared STATISTICS_SEED_SECRET; any shard holding it can unmask the others');
  } else {
    logger.info(fields, 'statistics: no mask seeds configured; this shard takes part in no statistics round');
  }
}
