import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '@sodertorn/auth';
import { createGraphQLServer, createHttpApp, isSchemaOnlyRequest, type Logger } from '@sodertorn/service-kit';
import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import type { RegionalContext } from './context';
import { buildRegionalSchema } from './schema';

export interface RegionalServerOptions {
  /** An initialised ORM whose migrations have run and whose registry is synchronised. */
  orm: MikroORM;
  /** Verifies every caller's token again: the subgraph trusts no header it did not verify itself. */
  verifier: TokenVerifier;
  logger: Logger;
  introspection?: boolean;
}

/** Builds the regional subgraph. Does not listen (see main.ts). */
export async function createRegionalServer(options: RegionalServerOptions): Promise<{ app: Express; stop(): Promise<void> }> {
  const { orm, logger } = options;
  const apollo = createGraphQLServer<RegionalContext>({ schema: await buildRegionalSchema(), logger, introspection: options.introspection ?? false });
  await apollo.start();
  const app = createHttpApp<RegionalContext>({
    apollo,
    logger,
    context: async (req) => {
      const anonymousSchemaRequest = !req.get('authorization') && isSchemaOnlyRequest(req.body);
      const identity = anonymousSchemaRequest ? undefined : await options.verifier.verifyAuthorization(req.get('authorization'));
      const requestId = req.get('x-request-id') ?? randomUUID();
      return { identity, em: orm.em.fork(), logger: logger.child({ requestId }), requestId };
    },
    ready: async () => {
      if (!(await orm.isConnected())) throw new Error('database not connected');
    },
  });
  return { app, stop: () => apollo.stop() };
}
