import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenVerifier } from '@sodertorn/auth';
import {
  createGraphQLServer,
  createHttpApp,
  isSchemaOnlyRequest,
  requestIdFrom,
  type HttpAppOptions,
  type Logger,
  type QueryLimits,
} from '@sodertorn/service-kit';
import type { Express } from 'express';
import { DEFAULT_THRESHOLD, MIN_THRESHOLD } from '@sodertorn/statistics';
import type { RegionalContext } from './context';
import { PlacementSaga } from './placements/placement-saga';
import type { ShardClient } from '@sodertorn/shard-client';
import { buildRegionalSchema } from './schema';
import { DEFAULT_MEMBER_LIST_MAX_AGE_MS, MemberList, readMembers } from './region/member-list';

export interface RegionalServerOptions {
  /** An initialised ORM whose migrations have run and whose registry is synchronised. */
  orm: MikroORM;
  /** Verifies every caller's token again: the subgraph trusts no header it did not verify itself. */
  verifier: TokenVerifier;
  /** Calls the municipalities for placement steps, with the region's own service token. */
  shards: ShardClient;
  /** How long an offer holds the places before it lapses. */
  holdMinutes: number;
  /** How long a placement step may be in flight before the reconciler takes it over (default 2 minutes). */
  reconcileGraceMs?: number;
  logger: Logger;
  /** Served on /metrics (the TLS certificates' days left). */
  metrics?: HttpAppOptions<RegionalContext>['metrics'];
  introspection?: boolean;
  /** Query limits, the same as the gateway's (parseQueryLimitsEnv); default DEFAULT_QUERY_LIMITS. */
  limits?: QueryLimits;
  /** How late a changed member list may be seen by this replica (default 5 s; 0: read for every request). */
  memberListMaxAgeMs?: number;
  /** Disclosure-control threshold of released statistics (STATISTICS_THRESHOLD; default 5, never below 3). */
  statisticsThreshold?: number;
}

/** Builds the regional subgraph. Does not listen (see main.ts). */
export async function createRegionalServer(options: RegionalServerOptions): Promise<{ app: Express; saga: PlacementSaga; stop(): Promise<void> }> {
  const { orm, logger, shards } = options;
  const threshold = options.statisticsThreshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD)
    throw new Error(`the statistics threshold must be a whole number of at least ${MIN_THRESHOLD}`);
  const statistics = { threshold };
  const members = new MemberList(() => readMembers(orm.em), options.memberListMaxAgeMs ?? DEFAULT_MEMBER_LIST_MAX_AGE_MS);
  const saga = new PlacementSaga(shards, { holdMinutes: options.holdMinutes, graceMs: options.reconcileGraceMs ?? 120_000 });
  const apollo = createGraphQLServer<RegionalContext>({
    schema: await buildRegionalSchema(),
    logger,
    introspection: options.introspection ?? false,
    limits: options.limits,
  });
  await apollo.start();
  const app = createHttpApp<RegionalContext>({
    apollo,
    logger,
    metrics: options.metrics,
    context: async (req) => {
      const anonymousSchemaRequest = !req.get('authorization') && isSchemaOnlyRequest(req.body);
      const identity = anonymousSchemaRequest ? undefined : await options.verifier.verifyAuthorization(req.get('authorization'));
      const requestId = requestIdFrom(req.get('x-request-id'));
      return { identity, em: orm.em.fork(), logger: logger.child({ requestId }), requestId, shards, saga, members, statistics };
    },
    ready: async () => {
      if (!(await orm.isConnected())) throw new Error('database not connected');
    },
  });
  return { app, saga, stop: () => apollo.stop() };
}
