import type { MikroORM } from '@mikro-orm/postgresql';
import { createGraphQLServer, createHttpApp, type Logger } from '@sodertorn/service-kit';
import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import { createShardContext, type ShardContext } from './context';
import { buildMunicipalitySchema } from './schema';

export interface MunicipalityServerOptions {
  /** The kommunkod this deployment serves. */
  municipalityCode: string;
  /** An initialised ORM whose migrations have run. */
  orm: MikroORM;
  logger: Logger;
  introspection?: boolean;
}

export interface MunicipalityServer {
  app: Express;
  stop(): Promise<void>;
}

/** Builds one municipality's deployment. Does not listen (see main.ts), so tests can run it in-process. */
export async function createMunicipalityServer(options: MunicipalityServerOptions): Promise<MunicipalityServer> {
  const { municipalityCode, orm, logger } = options;
  const apollo = createGraphQLServer<ShardContext>({
    schema: await buildMunicipalitySchema(),
    logger,
    introspection: options.introspection ?? false,
  });
  await apollo.start();
  const app = createHttpApp<ShardContext>({
    apollo,
    context: async (req) => createShardContext(municipalityCode, orm.em, logger, req.get('x-request-id') ?? randomUUID()),
    ready: async () => {
      if (!(await orm.isConnected())) throw new Error('database not connected');
    },
  });
  return { app, stop: () => apollo.stop() };
}
