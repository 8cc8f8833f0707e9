import type { ApolloServer, BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { metricsText } from './process-metrics';
import { createHttpsServer } from './tls/https-server';
import type { ServiceTls } from './tls/service-tls';

export interface HttpAppOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: Request) => Promise<TContext>;
  /** Largest accepted request body; larger ones get 413 before parsing. */
  bodyLimit?: string;
  /**
   * Answers /ready: resolves when the service's dependencies are reachable, rejects
   * (503) when not. It may instead resolve to a report: `ready` decides 200 or 503
   * and `details` are added to the JSON body.
   */
  ready?: () => Promise<void | ReadinessReport>;
  /** Where refused requests are logged (status and error type only). */
  logger: Logger;
  /** More routes beside /graphql, /health, /ready and /metrics. */
  routes?: (app: Express) => void;
  /** The service's own metrics (e.g. the TLS certificates' days left), served on /metrics after the process's default ones. */
  metrics?: readonly Registry[];
}

export interface ReadinessReport {
  ready: boolean;
  details?: Record<string, unknown>;
}

/**
 * /health (the process runs), /ready (`ready` says the service can do its work; 503 otherwise) and
 * /metrics (the process's metrics, then `metrics`): what probes, the image's HEALTHCHECK and
 * Prometheus ask, on the service's port and its management port (see listen).
 */
export function mountProbes(app: Express, options: Pick<HttpAppOptions<BaseContext>, 'ready' | 'metrics'> = {}): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      const report = await options.ready?.();
      if (report && !report.ready) res.status(503).json({ status: 'not ready', ...report.details });
      else res.json({ status: 'ready', ...report?.details });
    } catch {
      res.status(503).json({ status: 'not ready' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metricsText(options.metrics ?? []);
    res.type(contentType).send(body);
  });
}

/**
 * Mounts a started Apollo Server on /graphql with /health, /ready and /metrics beside it.
 * Does not listen: `listen()` does, so tests can start it on a free port.
 */
export function createHttpApp<TContext extends BaseContext>(options: HttpAppOptions<TContext>): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: answers are `no-store`, so nobody revalidates, and Express hashed every answer's body for it.
  app.disable('etag');
  mountProbes(app, options);
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '100kb' }),
    expressMiddleware(options.apollo, { context: async ({ req }) => options.context(req) }),
  );
  options.routes?.(app);
  app.use(requestErrors(options.logger, options.bodyLimit ?? '100kb'));
  return app;
}

/**
 * Answers a request refused before GraphQL (a body over the limit, malformed JSON)
 * with a short JSON error. Express's default page would quote the error's stack,
 * with local paths, whenever NODE_ENV is not "production", and print it to
 * stderr; a JSON parse error's message can quote the body itself. So neither the
 * client nor the log gets the message: the log gets the status and the error type.
 */
function requestErrors(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return (error: { status?: unknown; type?: unknown; constructor?: { name?: string } } | undefined, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    const type = typeof error?.type === 'string' ? error.type : undefined;
    logger[status < 500 ? 'warn' : 'error']({ status, type, errorClass: error?.constructor?.name }, 'HTTP request refused before GraphQL');
    const [code, message] =
      status === 413
        ? ['PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${bodyLimit}.`]
        : type === 'entity.parse.failed'
          ? ['BAD_REQUEST', 'The request body is not valid JSON.']
          : status < 500
            ? ['BAD_REQUEST', 'The request could not be read.']
            : ['INTERNAL_SERVER_ERROR', 'Internal server error.'];
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

export interface Listening {
  /** URL of the GraphQL endpoint, e.g. https://127.0.0.1:4101/graphql (http:// without TLS) */
  url: string;
  port: number;
  /** The plain-HTTP management port (/health, /ready, /metrics only), when one was asked for. */
  management?: { url: string; port: number };
  /** Cuts every connection and stops at once (tests; a running service drains instead). */
  close(): Promise<void>;
  /**
   * Stops gracefully (SIGTERM): /ready answers 503 at once and every answer asks its client to
   * close the connection; requests are still served for `delayMs`, so load balancers and the
   * gateway see the 503 and stop sending; then no new connection is accepted, requests in flight
   * finish, and after `timeoutMs` whatever is still open is cut. Resolves with what it did.
   */
  drain(settings: DrainSettings): Promise<DrainReport>;
}

export interface DrainSettings {
  /** How long requests are still taken after /ready turned 503 (DRAIN_DELAY_MS). */
  delayMs: number;
  /** Longest wait for requests in flight once no new ones are taken (DRAIN_TIMEOUT_MS). */
  timeoutMs: number;
}

export interface DrainReport {
  /** Requests that were in flight when new connections stopped being accepted. */
  inFlightAtClose: number;
  /** Requests still unfinished at `timeoutMs`, whose connections were cut. */
  cut: number;
}

/** What the management port serves: nothing that carries personal data, nothing that changes anything. */
const MANAGEMENT_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * Listens on `port` (0 = a free one) and resolves once connections are accepted:
 * HTTPS (mutual TLS if clients' CAs are configured) when `tls` serves, else plain HTTP.
 *
 * With `managementPort`, a second listener on the same host serves GET /health, /ready and
 * /metrics over plain HTTP and nothing else (404). It is how a kubelet probe, the image's
 * HEALTHCHECK or a Prometheus scrape reaches a shard, which accepts on its TLS port only
 * callers with a client certificate of the region: the handshake there stays strict, and
 * no request without a certificate ever reaches /graphql (docs/certificates.md, "Probes").
 */
export async function listen(app: Express, port: number, host = '127.0.0.1', tls?: ServiceTls, managementPort?: number): Promise<Listening> {
  const main = await listenMain(app, port, host, tls);
  if (managementPort === undefined) return main.listening;
  let management: Server;
  try {
    management = await listenManagement(main.handler, managementPort, host);
  } catch (error) {
    await main.listening.close();
    throw error;
  }
  const actual = (management.address() as AddressInfo).port;
  const closeManagement = () => {
    management.closeAllConnections();
    return new Promise<void>((done) => management.close(() => done()));
  };
  return {
    ...main.listening,
    management: { url: `http://${host}:${actual}`, port: actual },
    close: async () => {
      await Promise.all([main.listening.close(), closeManagement()]);
    },
    // The management port keeps answering while the main one drains, so probes see /ready turn 503.
    drain: async (settings) => {
      const report = await main.listening.drain(settings);
      await closeManagement();
      return report;
    },
  };
}

function listenManagement(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://management').pathname;
    if ((req.method === 'GET' || req.method === 'HEAD') && MANAGEMENT_PATHS.has(path)) return handler(req, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'The management port serves only /health, /ready and /metrics.', extensions: { code: 'NOT_FOUND' } }] }));
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function listenMain(
  app: Express,
  port: number,
  host: string,
  tls: ServiceTls | undefined,
): Promise<{ listening: Listening; handler: (req: IncomingMessage, res: ServerResponse) => void }> {
  let draining = false;
  let inFlight = 0;
  let settled: (() => void) | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      res.setHeader('connection', 'close');
      if (req.url === '/ready') {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'draining' }));
        return;
      }
    }
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) settled?.();
    });
    app(req, res);
  };
  const https = tls?.serving ? createHttpsServer(handler, tls) : undefined;
  const server: Server = https ?? createServer(handler);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = (server.address() as AddressInfo).port;
      const closed = () => new Promise<void>((done) => server.close(() => done()));
      const listening: Listening = {
        url: `${https ? 'https' : 'http'}://${host}:${actual}/graphql`,
        port: actual,
        close: async () => {
          server.closeAllConnections();
          await closed();
        },
        drain: async ({ delayMs, timeoutMs }) => {
          draining = true;
          await new Promise((wait) => setTimeout(wait, delayMs));
          const stopped = closed();
          server.closeIdleConnections();
          const inFlightAtClose = inFlight;
          if (inFlight > 0) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([new Promise<void>((done) => (settled = done)), new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)))]);
            clearTimeout(timer);
          }
          const cut = inFlight;
          server.closeAllConnections();
          await stopped;
          return { inFlightAtClose, cut };
        },
      };
      resolve({ listening, handler });
    });
  });
}
