import type { ApolloServer, BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface HttpAppOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: Request) => Promise<TContext>;
  /** Largest accepted request body; larger ones get 413 before parsing. */
  bodyLimit?: string;
  /** Answers /ready: resolves when the service's dependencies are reachable. */
  ready?: () => Promise<void>;
}

/**
 * Mounts a started Apollo Server on /graphql with /health and /ready beside it.
 * Does not listen: `listen()` does, so tests can start it on a free port.
 */
export function createHttpApp<TContext extends BaseContext>(options: HttpAppOptions<TContext>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await options.ready?.();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'not ready' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '100kb' }),
    expressMiddleware(options.apollo, { context: async ({ req }) => options.context(req) }),
  );
  return app;
}

export interface Listening {
  /** URL of the GraphQL endpoint, e.g. http://127.0.0.1:4101/graphql */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0 = a free one) and resolves once connections are accepted. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${actual}/graphql`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.keepAliveTimeout = 65_000;
  });
}
