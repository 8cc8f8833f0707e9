import 'reflect-metadata';
import { createTokenVerifier } from '@sodertorn/auth';
import { createLogger, listen, runUntilStopped } from '@sodertorn/service-kit';
import { loadMunicipalityConfig } from './config';
import { openMunicipalityDatabase } from './database/orm';
import { createMunicipalityServer } from './server';

/** Starts one municipality's deployment: parse config, migrate, listen. */
runUntilStopped(async () => {
  const config = loadMunicipalityConfig();
  const logger = createLogger(`municipality-${config.municipalityCode}`, config.logLevel);
  const orm = await openMunicipalityDatabase(config.databaseUrl, (message) => logger.debug(message));
  const server = await createMunicipalityServer({ ...config, orm, logger, verifier: createTokenVerifier(config.auth) });
  const listening = await listen(server.app, config.port, config.host);
  logger.info({ url: listening.url, municipalityCode: config.municipalityCode }, 'municipal subgraph listening');
  return async () => {
    await listening.close();
    await server.stop();
    await orm.close();
  };
});
