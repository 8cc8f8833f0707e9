import { createTokenVerifier } from '@sodertorn/auth';
import { createLogger, drainBound, listen, mountProbes, reloadRevokedClients, runUntilStopped, ServiceTls } from '@sodertorn/service-kit';
import express from 'express';
import { loadWebConfig } from './config';
import { WEB_BUILD } from './index';
import { createWebServer } from './web-server';

/**
 * Starts the web app's server as a deployment runs it (the image's `web`): the built app and its
 * persisted-operation manifest from this package, sign-in at the organisations' own identity
 * providers, HTTPS, probes on the management port, SIGTERM drained. Sessions live in this process:
 * run one replica (a restart signs people out).
 */
runUntilStopped(async () => {
  const config = loadWebConfig();
  const logger = createLogger('web', config.logLevel);
  const tls = new ServiceTls(config.transport, logger);
  const verifier = createTokenVerifier(config.auth);
  // A client revoked in the trust file is refused at once, without a restart (as at every service).
  const revocations = reloadRevokedClients(config.auth, verifier, logger);
  const app = express();
  app.disable('x-powered-by');
  mountProbes(app);
  app.use(
    createWebServer({
      ...WEB_BUILD,
      gatewayUrl: config.gatewayUrl,
      gatewayCa: config.gatewayCa,
      gatewayTimeoutMs: config.gatewayTimeoutMs,
      secureCookies: config.secureCookies,
      oidc: {
        organisations: config.organisations,
        clientId: config.clientId,
        redirectUri: `${config.origin}/auth/callback`,
        postLogoutRedirectUri: `${config.origin}/`,
        verifier,
      },
    }),
  );
  const listening = await listen(app, config.port, config.host, tls, config.transport.managementPort);
  logger.info({ url: new URL('/', listening.url).toString(), origin: config.origin, management: listening.management?.url }, 'web app listening');
  return {
    stop: async () => {
      logger.info(await listening.drain(config.drain), 'drained');
      tls.close();
      revocations.close();
    },
    stopWithinMs: drainBound(config.drain),
  };
});
