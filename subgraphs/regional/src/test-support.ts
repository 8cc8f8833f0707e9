import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, listen, type Listening, type Logger, type MunicipalityEntry } from '@sodertorn/service-kit';
import { createTokenVerifier } from '@sodertorn/auth';
import { createTestDatabase, testVerifierOptions, type TestDatabase } from '@sodertorn/testing';
import { openRegionalDatabase } from './database/orm';
import { syncRegistry } from './region/registry-sync';
import { createRegionalServer } from './server';

export interface TestRegional extends Listening {
  database: TestDatabase;
  orm: MikroORM;
  destroy(): Promise<void>;
}

/** The real regional subgraph on its own fresh database, listening on a free port. */
export async function startTestRegional(registry: readonly MunicipalityEntry[], options: { logger?: Logger } = {}): Promise<TestRegional> {
  const database = await createTestDatabase('regional');
  const orm = await openRegionalDatabase(database.url);
  await syncRegistry(orm.em.fork(), registry);
  const server = await createRegionalServer({
    orm,
    verifier: createTokenVerifier(await testVerifierOptions()),
    logger: options.logger ?? createLogger('test-regional', 'silent'),
  });
  const listening = await listen(server.app, 0);
  return {
    ...listening,
    database,
    orm,
    async destroy() {
      await listening.close();
      await server.stop();
      await orm.close();
      await database.drop();
    },
  };
}
