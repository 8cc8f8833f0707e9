import { createTokenVerifier } from '@sodertorn/auth';
import { createLogger, drainBound, listen, loadRegistry, parseUrlOverrides, reloadRevokedClients, runUntilStopped, ServiceTls } from '@sodertorn/service-kit';
import { readFileSync } from 'node:fs';
import { loadGatewayConfig } from './config';
import { createGatewayServer } from './server';
import { loadTrustedDocuments } from './trusted-documents';

/** Starts the region's gateway: parse config, verify the shards, listen. */
runUntilStopped(async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const tls = new ServiceTls(config.transport, logger);
  const verifier = createTokenVerifier(config.auth);
  // A client revoked in the trust file is refused at once, without a restart.
  const revocations = reloadRevokedClients(config.auth, verifier, logger);
  const server = await createGatewayServer({
    ...config,
    logger,
    tls,
    verifier,
    supergraphSdl: readFileSync(config.supergraphFile, 'utf8'),
    municipalitySdl: readFileSync(config.municipalitySdlFile, 'utf8'),
    trustedDocuments: config.persistedOperationsFile ? loadTrustedDocuments(config.persistedOperationsFile, config.trustedDocumentsRequired) : undefined,
    municipalities: loadRegistry(config.registryFile, parseUrlOverrides(config.municipalityUrlOverrides)),
  });
  const listening = await listen(server.app, config.port, config.host, tls, config.transport.managementPort);
  logger.info({ url: listening.url, management: listening.management?.url }, 'gateway listening');
  return {
    stop: async () => {
      logger.info(await listening.drain(config.drain), 'drained');
      await server.stop();
      tls.close();
      revocations.close();
    },
    stopWithinMs: drainBound(config.drain),
  };
});
