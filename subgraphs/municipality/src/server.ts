import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '@sodertorn/auth';
import {
  createGraphQLServer,
  createHttpApp,
  isSchemaOnlyRequest,
  purposeFrom,
  requestIdFrom,
  type HttpAppOptions,
  type Logger,
  type QueryLimits,
} from '@sodertorn/service-kit';
import type { Express, Request } from 'express';
import type { StatisticsKeyring } from './statistics/pairwise-seeds';
import { createShardContext, DEFAULT_STATISTICS_SETTINGS, type ShardContext, type StatisticsSettings } from './context';
import { buildMunicipalitySchema } from './schema';

export interface MunicipalityServerOptions {
  /** The kommunkod this deployment serves. */
  municipalityCode: string;
  /** An initialised ORM whose migrations have run. */
  orm: MikroORM;
  /** Verifies every caller's token again: a deployment trusts no header it did not verify itself. */
  verifier: TokenVerifier;
  /** This municipality's secret key for pseudonymous case references (HMAC-SHA256). */
  caseReferenceKey: string;
  logger: Logger;
  /** Served on /metrics (the TLS certificates' days left). */
  metrics?: HttpAppOptions<ShardContext>['metrics'];
  introspection?: boolean;
  /** Query limits, the same as the gateway's (parseQueryLimitsEnv); default DEFAULT_QUERY_LIMITS. */
  limits?: QueryLimits;
  /** Secure aggregation's keys (statisticsSeedsFromConfig); without them the shard takes part in no statistics round. */
  statisticsKeyring?: StatisticsKeyring;
  /** Disclosure-control threshold of ownStatistics (default 5, never below 3). */
  statisticsThreshold?: number;
  /** The coverage lock's window in hours (default 720; 0: no lock). */
  statisticsCoverageLockHours?: number;
}

export interface MunicipalityServer {
  app: Express;
  stop(): Promise<void>;
}

/** Builds one municipality's deployment. Does not listen (see main.ts), so tests can run it in-process. */
export async function createMunicipalityServer(options: MunicipalityServerOptions): Promise<MunicipalityServer> {
  const { municipalityCode, orm, logger, verifier } = options;
  const statistics: StatisticsSettings = {
    keyring: options.statisticsKeyring,
    threshold: options.statisticsThreshold ?? DEFAULT_STATISTICS_SETTINGS.threshold,
    coverageLockHours: options.statisticsCoverageLockHours ?? DEFAULT_STATISTICS_SETTINGS.coverageLockHours,
  };
  const apollo = createGraphQLServer<ShardContext>({
    schema: await buildMunicipalitySchema(),
    logger,
    introspection: options.introspection ?? false,
    limits: options.limits,
  });
  await apollo.start();
  const app = createHttpApp<ShardContext>({
    apollo,
    logger,
    metrics: options.metrics,
    context: async (req: Request) => {
      const anonymousSchemaRequest = !req.get('authorization') && isSchemaOnlyRequest(req.body);
      const identity = anonymousSchemaRequest ? undefined : await verifier.verifyAuthorization(req.get('authorization'));
      return createShardContext({
        municipalityCode,
        identity,
        em: orm.em,
        logger,
        requestId: requestIdFrom(req.get('x-request-id')),
        purpose: purposeFrom(req.get('x-purpose')) ?? null,
        caseReferenceKey: options.caseReferenceKey,
        statistics,
      });
    },
    ready: async () => {
      if (!(await orm.isConnected())) throw new Error('database not connected');
    },
  });
  return { app, stop: () => apollo.stop() };
}
