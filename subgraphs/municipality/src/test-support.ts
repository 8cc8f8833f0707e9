import { createLogger, listen, type Listening, type Logger } from '@sodertorn/service-kit';
import { createTokenVerifier } from '@sodertorn/auth';
import { createTestDatabase, testVerifierOptions, type TestDatabase } from '@sodertorn/testing';
import { openMunicipalityDatabase } from './database/orm';
import { seedDemoMunicipality } from './demo/seed';
import { createMunicipalityServer } from './server';
import type { MikroORM } from '@mikro-orm/postgresql';

export interface TestShard extends Listening {
  municipalityCode: string;
  database: TestDatabase;
  orm: MikroORM;
  /** Stops the HTTP server only (the database stays), as when a deployment goes down. */
  stopServing(): Promise<void>;
  /** Stops everything and drops the database. */
  destroy(): Promise<void>;
}

/**
 * A real municipal deployment for tests: its own freshly provisioned database
 * with the real migrations, optionally the demo data, listening on a free port.
 */
export async function startTestShard(
  municipalityCode: string,
  options: { seed?: boolean; today?: string; logger?: Logger } = {},
): Promise<TestShard> {
  const database = await createTestDatabase(`m${municipalityCode}`);
  const orm = await openMunicipalityDatabase(database.url);
  if (options.seed) await seedDemoMunicipality(orm.em.fork(), { municipalityCode, today: options.today ?? '2026-11-27' });
  const server = await createMunicipalityServer({
    municipalityCode,
    orm,
    verifier: createTokenVerifier(await testVerifierOptions()),
    caseReferenceKey: `test-case-reference-key-of-${municipalityCode}-0123456789`,
    logger: options.logger ?? createLogger(`test-${municipalityCode}`, 'silent'),
  });
  const listening = await listen(server.app, 0);
  let serving = true;
  const stopServing = async () => {
    if (!serving) return;
    serving = false;
    await listening.close();
    await server.stop();
  };
  return {
    ...listening,
    municipalityCode,
    database,
    orm,
    stopServing,
    async destroy() {
      await stopServing();
      await orm.close();
      await database.drop();
    },
  };
}
