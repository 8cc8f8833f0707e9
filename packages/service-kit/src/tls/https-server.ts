import { ForbiddenClientCertificateError, httpRefusal } from '@sodertorn/errors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../logger';
import type { KeyPair } from './certificate-files';
import { MIN_TLS_VERSION } from './peer-connection';
import type { ServiceTls } from './service-tls';

/**
 * An HTTPS server for `app` with the service's certificate, reloaded without a
 * restart. With clients' CAs configured it is mutual TLS: the handshake fails
 * without a client certificate from those CAs, and a request on a connection
 * whose certificate names none of the allowed identities gets 403 before the
 * app sees it (a valid certificate of the region's PKI, but not for this service).
 */
export function createHttpsServer(app: (req: IncomingMessage, res: ServerResponse) => void, tls: ServiceTls): Server {
  const { logger } = tls;
  const server = tls.server!;
  const contextOptions = () => secureContextOptions(server.current, tls.clientCas?.current);
  const mutual = Boolean(tls.clientCas);
  const https = createServer({ ...contextOptions(), requestCert: mutual, rejectUnauthorized: mutual }, (req, res) => {
    if (mutual && !clientAllowed(req.socket as TLSSocket, tls.clientIdentities, logger)) return refuse(res);
    app(req, res);
  });
  const swap = () => https.setSecureContext(contextOptions());
  server.onChange(swap);
  tls.clientCas?.onChange(swap);
  https.on('tlsClientError', (error: NodeJS.ErrnoException) => logger.warn({ reason: error.code ?? error.message }, 'TLS handshake refused'));
  return https;
}

function secureContextOptions(own: KeyPair, clientCas: string | undefined) {
  return { cert: own.cert, key: own.key, minVersion: MIN_TLS_VERSION, ...(clientCas ? { ca: clientCas } : {}) } as const;
}

/** The verdict per connection: a keep-alive connection is checked once, on its first request. */
const verdicts = new WeakMap<TLSSocket, boolean>();

function clientAllowed(socket: TLSSocket, identities: readonly string[], logger: Logger): boolean {
  let allowed = verdicts.get(socket);
  if (allowed === undefined) {
    const certificate = socket.getPeerX509Certificate();
    // Exact names only: a wildcard certificate stands for no particular service.
    allowed = Boolean(certificate && identities.some((identity) => certificate.checkHost(identity, { wildcards: false, subject: 'never' })));
    if (!allowed)
      logger.warn(
        { clientCertificate: certificate?.subject, subjectAltName: certificate?.subjectAltName },
        'client certificate names no allowed identity; refused',
      );
    verdicts.set(socket, allowed);
  }
  return allowed;
}

function refuse(res: ServerResponse<IncomingMessage>): void {
  const { status, body } = httpRefusal(new ForbiddenClientCertificateError());
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}
