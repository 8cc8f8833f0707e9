import 'reflect-metadata';
import { clientCredentialsTokenProvider, createTokenVerifier } from '@sodertorn/auth';
import { certificateExpiryRegistry, createLogger, listen, loadRegistry, parseUrlOverrides, runUntilStopped, ServiceTls } from '@sodertorn/service-kit';
import { loadRegionalConfig } from './config';
import { openRegionalDatabase } from './database/orm';
import { prepareMatching } from './matching';
import { loadChannelSettings } from './notifications/notification-config';
import { NotificationDispatcher } from './notifications/dispatcher';
import { reconcilePlacements } from './placements/reconciler';
import { ShardClient } from './placements/shard-client';
import { syncRegistry } from './region/registry-sync';
import { createRegionalServer } from './server';

/** Starts the regional subgraph: parse config, migrate, synchronise the registry, listen, reconcile and notify periodically. */
runUntilStopped(async () => {
  const config = loadRegionalConfig();
  const logger = createLogger('regional', config.logLevel);
  const tls = new ServiceTls(config.transport, logger);
  const registry = loadRegistry(config.registryFile, parseUrlOverrides(config.municipalityUrlOverrides));
  const channels = config.notificationsFile
    ? loadChannelSettings(
        config.notificationsFile,
        process.env,
        registry.map((m) => m.code),
      )
    : { webAppUrl: '', smtp: null, channels: [] };
  const orm = await openRegionalDatabase(config.databaseUrl, (message) => logger.debug(message));
  await syncRegistry(orm.em.fork(), registry);
  if (!config.serviceCredentials) logger.warn('SERVICE_CLIENT_ID is not set: placements cannot be offered or reconciled');
  // Fetched from the identity provider when first needed and renewed before it expires.
  const serviceToken = config.serviceCredentials && clientCredentialsTokenProvider(config.serviceCredentials);
  const shards = new ShardClient({ registry, serviceToken, timeoutMs: config.shardTimeoutMs, tls });
  const server = await createRegionalServer({
    orm,
    logger,
    shards,
    holdMinutes: config.holdMinutes,
    reconcileGraceMs: config.reconcileGraceMs,
    statisticsThreshold: config.statisticsThreshold,
    verifier: createTokenVerifier(config.auth),
    introspection: config.introspection,
    limits: config.limits,
    metrics: certificateExpiryRegistry(tls),
  });
  await prepareMatching(); // load HiGHS now, not on a coordinator's first batch
  const listening = await listen(server.app, config.port, config.host, tls);
  logger.info({ url: listening.url }, 'regional subgraph listening');
  if (!channels.channels.length) logger.info('notifications: no channels configured (NOTIFICATIONS_FILE); events are recorded in the outbox but sent nowhere');
  else logger.info({ channels: channels.channels.map((c) => c.id) }, 'notifications: sending to configured channels');
  const dispatcher = new NotificationDispatcher(orm, { ...channels, ...config.notificationTiming }, logger);
  dispatcher.start();
  const reconciler = serviceToken
    ? setInterval(() => {
        reconcilePlacements(orm.em.fork(), shards, server.saga, logger).catch((error: unknown) =>
          logger.error({ errorClass: (error as Error).constructor?.name }, 'reconciliation failed'),
        );
      }, config.reconcileIntervalMs)
    : undefined;
  return async () => {
    clearInterval(reconciler);
    await dispatcher.stop();
    await listening.close();
    await server.stop();
    await orm.close();
    tls.close();
  };
});
