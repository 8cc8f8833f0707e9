import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, listen, type Listening, type Logger, type MunicipalityEntry, ServiceTls } from '@sodertorn/service-kit';
import { createTokenVerifier, type TokenProvider, type TokenVerifierOptions } from '@sodertorn/auth';
import { createTestDatabase, testVerifierOptions, tokenFor, Role, type TestDatabase } from '@sodertorn/testing';
import { compatibleSchemaCheck, ShardClient } from '@sodertorn/shard-client';
import { readFileSync } from 'node:fs';
import { MUNICIPALITY_SDL_FILE } from './config';
import { NotificationDispatcher } from './notifications/dispatcher';
import type { NotificationSettings } from './notifications/notification-config';
import type { PlacementSaga } from './placements/placement-saga';
import { openRegionalDatabase } from './database/orm';
import { syncRegistry } from './region/registry-sync';
import { createRegionalServer } from './server';

export interface TestRegional extends Listening {
  database: TestDatabase;
  orm: MikroORM;
  shards: ShardClient;
  saga: PlacementSaga;
  destroy(): Promise<void>;
}

/** The real regional subgraph on its own fresh database, listening on a free port. */
export async function startTestRegional(
  registry: readonly MunicipalityEntry[],
  options: {
    logger?: Logger;
    holdMinutes?: number;
    shardTimeoutMs?: number;
    /** The regional shard client's circuit breaker (default: the client's, 5 failures for 10 s). */
    shardBreaker?: { failureThreshold: number; cooldownMs: number };
    statisticsThreshold?: number;
    reconcileGraceMs?: number;
    /** How late a changed member list may be seen (the server's default, 5 s, unless given; 0 for a test that changes the registry while serving). */
    memberListMaxAgeMs?: number;
    /** Run the notification dispatcher with these settings (as main.ts does); without them, none runs. */
    notifications?: NotificationSettings;
    /** Serve HTTPS (mutual TLS if it names clients' CAs) with this material, and call https shards with it; default plain HTTP. */
    tls?: ServiceTls;
    /** The issuers it trusts (default: the test issuer). */
    trust?: TokenVerifierOptions;
    /** Its own token for shard calls (default: a SERVICE token of the test issuer). */
    serviceToken?: TokenProvider;
  } = {},
): Promise<TestRegional> {
  const database = await createTestDatabase('regional');
  const orm = await openRegionalDatabase(database.url);
  await syncRegistry(orm.em.fork(), registry);
  const testServiceToken = await tokenFor(Role.SERVICE, undefined, 'regional-service');
  const serviceToken = options.serviceToken ?? (async () => testServiceToken);
  const logger = options.logger ?? createLogger('test-regional', 'silent');
  const shards = new ShardClient({
    // With `tls`, each https shard over mutual TLS with its municipality's CA and expected identity.
    municipalities: registry.map(({ code, name, url, tls: trust }) => ({
      code,
      name,
      url,
      tls: URL.canParse(url) ? (options.tls ?? ServiceTls.plainHttpOnly()).connect(url, trust, `municipality ${code}`).tlsSource : undefined,
    })),
    timeoutMs: options.shardTimeoutMs ?? 3_000,
    breaker: options.shardBreaker,
    schemaCheck: compatibleSchemaCheck(readFileSync(MUNICIPALITY_SDL_FILE, 'utf8')),
    logger,
    serviceToken,
  });
  const server = await createRegionalServer({
    orm,
    shards,
    holdMinutes: options.holdMinutes ?? 60,
    reconcileGraceMs: options.reconcileGraceMs,
    statisticsThreshold: options.statisticsThreshold,
    memberListMaxAgeMs: options.memberListMaxAgeMs,
    verifier: createTokenVerifier(options.trust ?? (await testVerifierOptions())),
    logger,
  });
  const listening = await listen(server.app, 0, '127.0.0.1', options.tls);
  const dispatcher = options.notifications && new NotificationDispatcher(orm, options.notifications, logger);
  dispatcher?.start();
  return {
    ...listening,
    database,
    orm,
    shards,
    saga: server.saga,
    async destroy() {
      await dispatcher?.stop();
      await listening.close();
      await server.stop();
      await orm.close();
      await shards.close();
      await database.drop();
    },
  };
}
