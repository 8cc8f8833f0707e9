import 'reflect-metadata';
import { createTokenVerifier } from '@sodertorn/auth';
import { createLogger, listen, loadRegistry, runUntilStopped } from '@sodertorn/service-kit';
import { loadRegionalConfig } from './config';
import { openRegionalDatabase } from './database/orm';
import { syncRegistry } from './region/registry-sync';
import { createRegionalServer } from './server';

/** Starts the regional subgraph: parse config, migrate, synchronise the registry, listen. */
runUntilStopped(async () => {
  const config = loadRegionalConfig();
  const logger = createLogger('regional', config.logLevel);
  const orm = await openRegionalDatabase(config.databaseUrl, (message) => logger.debug(message));
  await syncRegistry(orm.em.fork(), loadRegistry(config.registryFile));
  const server = await createRegionalServer({ orm, logger, verifier: createTokenVerifier(config.auth), introspection: config.introspection });
  const listening = await listen(server.app, config.port, config.host);
  logger.info({ url: listening.url }, 'regional subgraph listening');
  return async () => {
    await listening.close();
    await server.stop();
    await orm.close();
  };
});
