import 'reflect-metadata';
import { clientCredentialsTokenProvider, createTokenVerifier } from '@sodertorn/auth';
import {
  certificateExpiryRegistry,
  createLogger,
  drainBound,
  listen,
  loadRegistry,
  parseUrlOverrides,
  reloadRevokedClients,
  runUntilStopped,
  ServiceTls,
} from '@sodertorn/service-kit';
import { compatibleSchemaCheck, ShardClient } from '@sodertorn/shard-client';
import { readFileSync } from 'node:fs';
import { loadRegionalConfig } from './config';
import { connectRegionalDatabase } from './database/orm';
import { loadRoadDistances, prepareMatching } from './matching';
import { loadChannelSettings } from './notifications/notification-config';
import { NotificationDispatcher } from './notifications/dispatcher';
import { reconcilePlacements } from './placements/reconciler';
import { syncRegistry } from './region/registry-sync';
import { createRegionalServer } from './server';

/** Starts the regional subgraph: parse config, connect (its `migrate` ran first: migrate.ts), synchronise the registry, listen, reconcile and notify periodically. */
runUntilStopped(async () => {
  const config = loadRegionalConfig();
  const logger = createLogger('regional', config.logLevel);
  const tls = new ServiceTls(config.transport, logger);
  const verifier = createTokenVerifier(config.auth);
  // A client revoked in the trust file is refused at once, without a restart.
  const revocations = reloadRevokedClients(config.auth, verifier, logger);
  const registry = loadRegistry(config.registryFile, parseUrlOverrides(config.municipalityUrlOverrides));
  const channels = config.notificationsFile
    ? loadChannelSettings(
        config.notificationsFile,
        process.env,
        registry.map((m) => m.code),
      )
    : { webAppUrl: '', smtp: null, channels: [] };
  const orm = await connectRegionalDatabase(config.databaseUrl, (message) => logger.debug(message));
  await syncRegistry(orm.em.fork(), registry);
  if (!config.serviceCredentials) logger.warn('SERVICE_CLIENT_ID is not set: placements cannot be offered or reconciled');
  // Fetched from the identity provider when first needed and renewed before it expires.
  const serviceToken = config.serviceCredentials
    ? clientCredentialsTokenProvider(config.serviceCredentials)
    : () => Promise.reject(new Error('the regional subgraph has no OAuth client (SERVICE_CLIENT_ID)'));
  const shards = new ShardClient({
    // Each shard over mutual TLS with its municipality's CA and the identity the registry expects of it.
    municipalities: registry.map(({ code, name, url, tls: trust }) => ({
      code,
      name,
      url,
      tls: URL.canParse(url) ? tls.connect(url, trust, `municipality ${code}`).tlsSource : undefined,
    })),
    timeoutMs: config.shardTimeoutMs,
    retry: config.shardRetry,
    breaker: config.shardBreaker,
    schemaCheck: compatibleSchemaCheck(readFileSync(config.municipalitySdlFile, 'utf8')),
    logger,
    serviceToken,
  });
  const server = await createRegionalServer({
    orm,
    logger,
    shards,
    holdMinutes: config.holdMinutes,
    reconcileGraceMs: config.reconcileGraceMs,
    statisticsThreshold: config.statisticsThreshold,
    verifier,
    introspection: config.introspection,
    limits: config.limits,
    metrics: [certificateExpiryRegistry(tls)],
  });
  await prepareMatching(); // load HiGHS now, not on a coordinator's first batch
  loadRoadDistances(); // and the road distance table: a bad file stops the start, naming the row
  const listening = await listen(server.app, config.port, config.host, tls, config.transport.managementPort);
  logger.info({ url: listening.url, management: listening.management?.url }, 'regional subgraph listening');
  if (!channels.channels.length) logger.info('notifications: no channels configured (NOTIFICATIONS_FILE); events are recorded in the outbox but sent nowhere');
  else logger.info({ channels: channels.channels.map((c) => c.id) }, 'notifications: sending to configured channels');
  const dispatcher = new NotificationDispatcher(orm, { ...channels, ...config.notificationTiming }, logger);
  dispatcher.start();
  const reconciler = config.serviceCredentials
    ? setInterval(() => {
        reconcilePlacements(orm.em.fork(), shards, server.saga, logger).catch((error: unknown) =>
          logger.error({ errorClass: (error as Error).constructor?.name }, 'reconciliation failed'),
        );
      }, config.reconcileIntervalMs)
    : undefined;
  return {
    stop: async () => {
      logger.info(await listening.drain(config.drain), 'drained');
      clearInterval(reconciler);
      await dispatcher.stop();
      await server.stop();
      await orm.close();
      await shards.close();
      tls.close();
      revocations.close();
    },
    stopWithinMs: drainBound(config.drain),
  };
});
