import { createLogger, listen, type Listening, type Logger, type ServiceTls } from '@sodertorn/service-kit';
import { createTokenVerifier, type TokenVerifierOptions } from '@sodertorn/auth';
import { createTestDatabase, testVerifierOptions, type TestDatabase } from '@sodertorn/testing';
import { openMunicipalityDatabase } from './database/orm';
import { seedDemoMunicipality } from './demo/seed';
import { createMunicipalityServer } from './server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { developmentKeyring, x25519KeyringFromKeys, type StatisticsKeyring } from './statistics/pairwise-seeds';

/** The development seed secret of secure aggregation that every test shard shares. */
export const TEST_STATISTICS_SEED_SECRET = 'test-statistics-seed-secret-0123456789abcdef';

/**
 * Where a test shard's mask seeds come from: the development secret (as STATISTICS_SEED_SECRET),
 * X25519 key material (as STATISTICS_PRIVATE_KEY_FILE's content and STATISTICS_PUBLIC_KEYS, e.g.
 * from generateStatisticsKeyPair), or `none` (the shard takes part in no round).
 */
export type TestStatisticsSeeds = { seedSecret: string } | { privateKeyPem: string; publicKeys: string } | 'none';

function testKeyring(municipalityCode: string, given: TestStatisticsSeeds): StatisticsKeyring | undefined {
  if (given === 'none') return undefined;
  if ('seedSecret' in given) return developmentKeyring(given.seedSecret);
  return x25519KeyringFromKeys(municipalityCode, given.privateKeyPem, given.publicKeys).keyring;
}

export interface TestShard extends Listening {
  municipalityCode: string;
  database: TestDatabase;
  orm: MikroORM;
  /** Stops the HTTP server only (the database stays), as when a deployment goes down. */
  stopServing(): Promise<void>;
  /**
   * Redeploys with other statistics keys, as an operator does after changing STATISTICS_PRIVATE_KEY_FILE or
   * STATISTICS_PUBLIC_KEYS: the server stops and a new one serves the same database on the same port.
   */
  restart(changes: { statisticsSeeds: TestStatisticsSeeds }): Promise<void>;
  /** Stops everything and drops the database. */
  destroy(): Promise<void>;
}

/**
 * A real municipal deployment for tests: its own freshly provisioned database
 * with the real migrations, optionally the demo data, listening on a free port.
 */
export async function startTestShard(
  municipalityCode: string,
  options: {
    seed?: boolean;
    today?: string;
    logger?: Logger;
    /** Told the text of every SQL statement the deployment sends (e.g. to count statements per request). */
    onQuery?: (sql: string) => void;
    /** Mask seeds of secure aggregation; default: the shared development secret TEST_STATISTICS_SEED_SECRET. */
    statisticsSeeds?: TestStatisticsSeeds;
    /** The coverage lock's window in hours (STATISTICS_COVERAGE_LOCK_HOURS); default 720, as in production. */
    coverageLockHours?: number;
    /** Serve HTTPS (mutual TLS if it names clients' CAs) with this material; default plain HTTP. */
    tls?: ServiceTls;
    /** The issuers it trusts (default: the test issuer). */
    trust?: TokenVerifierOptions;
  } = {},
): Promise<TestShard> {
  const database = await createTestDatabase(`m${municipalityCode}`);
  const orm = await openMunicipalityDatabase(database.url);
  if (options.onQuery) observeQueries(orm, options.onQuery);
  if (options.seed) await seedDemoMunicipality(orm.em.fork(), { municipalityCode, today: options.today ?? '2026-11-27' });
  const serve = async (statisticsSeeds: TestStatisticsSeeds, port: number) => {
    const server = await createMunicipalityServer({
      municipalityCode,
      orm,
      verifier: createTokenVerifier(options.trust ?? (await testVerifierOptions())),
      caseReferenceKey: `test-case-reference-key-of-${municipalityCode}-0123456789`,
      statisticsKeyring: testKeyring(municipalityCode, statisticsSeeds),
      statisticsCoverageLockHours: options.coverageLockHours,
      logger: options.logger ?? createLogger(`test-${municipalityCode}`, 'silent'),
    });
    return { server, listening: await listen(server.app, port, '127.0.0.1', options.tls) };
  };
  let current = await serve(options.statisticsSeeds ?? { seedSecret: TEST_STATISTICS_SEED_SECRET }, 0);
  const listening = current.listening;
  let serving = true;
  const stopServing = async () => {
    if (!serving) return;
    serving = false;
    await current.listening.close();
    await current.server.stop();
  };
  return {
    ...listening,
    municipalityCode,
    database,
    orm,
    stopServing,
    async restart({ statisticsSeeds }) {
      await stopServing();
      current = await serve(statisticsSeeds, listening.port);
      serving = true;
    },
    async destroy() {
      await stopServing();
      await orm.close();
      await database.drop();
    },
  };
}

/** Every statement passes through the connection's `logQuery` (debug off or not); the hook sees each one's text. */
function observeQueries(orm: MikroORM, onQuery: (sql: string) => void): void {
  const connection = orm.em.getConnection() as unknown as { logQuery(query: string, context?: unknown): void };
  const logQuery = connection.logQuery.bind(connection);
  connection.logQuery = (query, context) => {
    onQuery(query);
    logQuery(query, context);
  };
}
