import { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { TokenVerifier } from '@sodertorn/auth';
import {
  createGraphQLServer,
  createHttpApp,
  purposeFrom,
  registerCertificateExpiry,
  requestIdFrom,
  ServiceTls,
  type Logger,
  type MunicipalityEntry,
  type PeerTrust,
  type QueryLimits,
} from '@sodertorn/service-kit';
import type { Express } from 'express';
import { compatibleSchemaCheck, JsonPost, ShardClient, type RetryPolicy } from '@sodertorn/shard-client';
import { GatewayMetrics } from './metrics';
import { ShardRouterDataSource, type GatewayContext } from './datasources/shard-router-data-source';
import { DEFAULT_REGIONAL_TIMEOUT_MS, RegionalDataSource } from './datasources/regional-data-source';
import { statisticsRoutes } from './statistics-export';
import { accessRequestRoutes } from './access-request/access-request-route';
import { ACCESS_REQUEST_QUERY } from './access-request/access-request-document';
import { trustedDocumentsPlugin, type TrustedDocuments } from './trusted-documents';
import { installCompiledResultShaping } from './result-shaping/install';

export interface GatewayServerOptions {
  supergraphSdl: string;
  /** The municipal subgraph SDL the supergraph was composed from; deployments must provide at least this (schema-compatibility.ts). */
  municipalitySdl: string;
  regionalUrl: string;
  /** The regional subgraph's CA and the identity its certificate must name, when its URL is https (REGIONAL_TLS_CA_FILE, REGIONAL_TLS_IDENTITY). */
  regionalTrust?: PeerTrust;
  /** How long a GraphQL call to the regional subgraph may take (REGIONAL_TIMEOUT_MS); default DEFAULT_REGIONAL_TIMEOUT_MS. */
  regionalTimeoutMs?: number;
  /**
   * This gateway's TLS material: the certificate it presents to the regional subgraph and the shards
   * (mutual TLS), watched for changes. Default: none, and plain http peers allowed (tests).
   */
  tls?: ServiceTls;
  municipalities: readonly MunicipalityEntry[];
  shardTimeoutMs: number;
  /** Retries of failed shard queries (SHARD_RETRIES, SHARD_RETRY_BASE_MS); default 1 after up to 50 ms. */
  shardRetry?: RetryPolicy;
  /** Per-shard circuit breaker (SHARD_BREAKER_FAILURES, SHARD_BREAKER_COOLDOWN_MS); default 5 failures, 10 000 ms. */
  shardBreaker?: { failureThreshold: number; cooldownMs: number };
  /** Active probe of every shard (SHARD_PROBE_INTERVAL_MS, SHARD_PROBE_TIMEOUT_MS); default DEFAULT_SHARD_PROBE. */
  shardProbe?: { intervalMs: number; timeoutMs: number };
  /** Verifies the caller's token; every subgraph verifies it again. */
  verifier: TokenVerifier;
  logger: Logger;
  /** Query limits (MAX_DEPTH, MAX_COST, MAX_ALIASES, MAX_TOKENS), the same as every subgraph's; default DEFAULT_QUERY_LIMITS. */
  limits?: QueryLimits;
  bodyLimit?: string;
  introspection?: boolean;
  /** Registered operations (PERSISTED_OPERATIONS_FILE) and whether browser roles may run only those (TRUSTED_DOCUMENTS_REQUIRED). */
  trustedDocuments?: TrustedDocuments;
}

export interface GatewayServer {
  app: Express;
  router: ShardRouterDataSource;
  /** The gateway's calls to the shards (its states are what /ready and gateway_shard_up report). */
  shards: ShardClient;
  stop(): Promise<void>;
}

/** Every 5 s, 2 s to answer: a dead shard shows in /ready and gateway_shard_up within 7 s, without traffic. */
export const DEFAULT_SHARD_PROBE = { intervalMs: 5_000, timeoutMs: 2_000 };

/** Builds the region's gateway on a static supergraph. Does not listen (see main.ts). */
export async function createGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const { logger } = options;
  const tls = options.tls ?? ServiceTls.plainHttpOnly();
  const metrics: GatewayMetrics = new GatewayMetrics(() => client.shards);
  registerCertificateExpiry(metrics.registry, tls);
  const client: ShardClient = new ShardClient({
    // Each shard over mutual TLS with its municipality's CA and the identity the registry expects of it
    // (an unparseable URL stays the client's to report: every call fails as unreachable).
    municipalities: options.municipalities.map(({ code, name, url, tls: trust }) => ({
      code,
      name,
      url,
      tls: URL.canParse(url) ? tls.connect(url, trust, `municipality ${code}`).tlsSource : undefined,
    })),
    timeoutMs: options.shardTimeoutMs,
    schemaCheck: compatibleSchemaCheck(options.municipalitySdl),
    logger,
    retry: options.shardRetry,
    breaker: options.shardBreaker,
    probe: options.shardProbe ?? DEFAULT_SHARD_PROBE,
    onCall: metrics.observeShardCall,
  });
  const shards = client.shards;
  // The regional subgraph's /ready and the statistics export: one pool, the same transport as the shards'.
  // GraphQL queries (Apollo's data source) over a connection of mutual TLS; /ready and the statistics export over a pool with the same TLS.
  const regionalConnection = tls.connect(options.regionalUrl, options.regionalTrust, 'the regional subgraph');
  const regional = new JsonPost(options.regionalUrl, regionalConnection.tlsSource);
  const router = new ShardRouterDataSource(client);
  const shardStates = await client.verifyAll();
  logger.info({ shardStates }, 'verified municipal deployments against the composed SDL');
  client.startProbing();

  // Apollo's result shaping was a quarter of the gateway's CPU on a national query; same answers, compiled per request.
  if (!installCompiledResultShaping()) logger.warn("Apollo Gateway's result shaping is not where 2.14 has it: its own (slower) one is used");
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name }) => {
      if (name === 'municipality') return router;
      if (name === 'regional') {
        return new RegionalDataSource(options.regionalUrl, regionalConnection.fetch, options.regionalTimeoutMs ?? DEFAULT_REGIONAL_TIMEOUT_MS);
      }
      throw new Error(`the supergraph names a subgraph "${name}" this gateway does not know`);
    },
  });
  const apollo = createGraphQLServer<GatewayContext>({
    gateway,
    logger,
    introspection: options.introspection ?? false,
    // The gateway's own routes run fixed documents of their own (the register extract): trusted as registered ones.
    plugins: [
      metrics.plugin(),
      ...(options.trustedDocuments ? [trustedDocumentsPlugin(options.trustedDocuments, [ACCESS_REQUEST_QUERY]) as ApolloServerPlugin] : []),
    ],
    limits: options.limits,
  });
  await apollo.start();
  const app = createHttpApp<GatewayContext>({
    apollo,
    bodyLimit: options.bodyLimit,
    logger,
    ready: async () => {
      // The shards' states are kept current by the active probe; only the regional subgraph is asked now.
      const regionalUp = (await regional.status('/ready', options.shardTimeoutMs)) === 200;
      const shardReport = shards.map((s) => ({ municipalityCode: s.code, state: s.state, breaker: s.breakerState }));
      const ready = regionalUp && shards.some((s) => s.available);
      return { ready, details: { regional: regionalUp ? 'up' : 'down', shards: shardReport } };
    },
    metrics: [metrics.registry],
    routes: (app) => {
      app.get('/shards', (_req, res) => {
        res.json(shards.map((s) => ({ municipalityCode: s.code, name: s.name, state: s.state })));
      });
      // Flat statistics for BI tools; a round may rerun once without a failed shard.
      statisticsRoutes(app, { verifier: options.verifier, regional, timeoutMs: 3 * options.shardTimeoutMs + 5_000, logger });
      // A participant's register extract, printable (docs/operations/access-request.md).
      accessRequestRoutes(app, { apollo, verifier: options.verifier });
    },
    context: async (req) => ({
      identity: await options.verifier.verifyAuthorization(req.get('authorization')),
      requestId: requestIdFrom(req.get('x-request-id')),
      purpose: purposeFrom(req.get('x-purpose')),
    }),
  });
  return {
    app,
    router,
    shards: client,
    async stop() {
      await apollo.stop();
      await Promise.all([client.close(), regional.close()]);
      if (!options.tls) tls.close(); // the caller closes a ServiceTls it gave
    },
  };
}
