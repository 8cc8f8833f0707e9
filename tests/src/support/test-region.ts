import { createGatewayServer, type GatewayServer, type TrustedDocuments } from '@sodertorn/gateway';
import { startTestShard, type TestShard, type TestStatisticsSeeds } from '@sodertorn/municipality/testing';
import type { NotificationSettings } from '@sodertorn/regional';
import { startTestRegional, type TestRegional } from '@sodertorn/regional/testing';
import { SCHEMA_FILES } from '@sodertorn/schema';
import { clientCredentialsTokenProvider, createTokenVerifier, MUNICIPAL_ROLES, Role, type TokenVerifierOptions } from '@sodertorn/auth';
import {
  devRegionProviders,
  devUserToken,
  REGION_PROVIDER,
  spawnProviders,
  trustedIssuersOf,
  type ProviderProcess,
  type ProviderSpec,
} from '@sodertorn/identity-provider';
import {
  createLogger,
  listen,
  loadRegistry,
  ServiceTls,
  type Listening,
  type Logger,
  type MunicipalityEntry,
  type PeerTrust,
  type TransportEnv,
} from '@sodertorn/service-kit';
import { bearer as testIssuerBearer, callAsRegionService, testVerifierOptions, writeRegionPki, type RegionPkiFiles } from '@sodertorn/testing';
import { findFreePort } from '@sodertorn/postgres';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegion {
  gateway: Listening & { server: GatewayServer };
  shards: Map<string, TestShard>;
  regional: TestRegional;
  registry: MunicipalityEntry[];
  /** The region's development PKI (absent with `plainHttp`). */
  certificates?: RegionPkiFiles;
  /** What another gateway over this region needs (its TLS material, the regional subgraph's trust): spread into createGatewayServer's options. */
  gatewayTls: { tls?: ServiceTls; regionalTrust?: PeerTrust };
  /** The identity providers, with `identityProviders`, and what each is (name, accounts). */
  providers?: ProviderProcess;
  providerSpecs?: ProviderSpec[];
  /**
   * Starts the identity providers again (after a stop or a kill): the same ports and keys, so the
   * same issuers, as a restarted provider of a deployment. Updates `providers`.
   */
  restartProviders?(): Promise<ProviderProcess>;
  /** What every service of the region trusts. */
  trust: TokenVerifierOptions;
  /**
   * An Authorization header for a role (of a municipality): from the test issuer, or with
   * `identityProviders: true` from the provider that vouches for it — the municipality's own for
   * its staff, the region's for everyone else.
   */
  bearer(
    roles: Role | Role[],
    municipality?: string,
    sub?: string,
    /** A provider other than the one that vouches for it (identityProviders only). */ provider?: string,
  ): Promise<Record<string, string>>;
  destroy(): Promise<void>;
}

export interface ProviderSettings {
  /** How soon the services may fetch a provider's keys again (default 30 s). */
  jwksCooldownMs?: number;
  /** Where the providers may send the web app's browser back to (its client `web`). */
  webRedirectUris?: string[];
  webPostLogoutRedirectUris?: string[];
}

interface RegionIdentity {
  providers?: ProviderProcess;
  providerSpecs?: ProviderSpec[];
  restartProviders?(): Promise<ProviderProcess>;
  trust: TokenVerifierOptions;
  serviceToken?: () => Promise<string>;
  bearer: TestRegion['bearer'];
}

/**
 * Real OpenID Providers (one per municipality and the region's; Botkyrka's Entra ID style) that
 * every service of the test region trusts, as `npm start` runs them; the regional subgraph fetches
 * its own service token from the region's provider with client credentials.
 */
async function providersIdentity(members: readonly MunicipalityEntry[], settings: ProviderSettings): Promise<RegionIdentity> {
  const devTokenSecret = randomBytes(16).toString('base64url');
  const service = { clientId: 'regional-service', clientSecret: randomBytes(16).toString('base64url') };
  // Fixed ports and kept keys, so that a provider started again is the same issuer with the same keys.
  const keyFolder = mkdtempSync(join(tmpdir(), 'test-providers-'));
  const specs = await Promise.all(
    devRegionProviders({
      members,
      regionClients: [{ ...service, roles: [Role.SERVICE] }],
      devTokenSecret,
      webRedirectUris: settings.webRedirectUris ?? ['http://127.0.0.1:9/auth/callback'],
      webPostLogoutRedirectUris: settings.webPostLogoutRedirectUris,
      entraStyle: ['0127'],
    }).map(async (spec) => ({ ...spec, port: await findFreePort(), keyFile: join(keyFolder, `${spec.name}.json`) })),
  );
  const providers = await spawnProviders(specs);
  const identity: RegionIdentity = {
    providers,
    providerSpecs: specs,
    async restartProviders() {
      await identity.providers!.stop();
      identity.providers = await spawnProviders(specs);
      return identity.providers;
    },
    trust: { issuers: trustedIssuersOf(specs, providers.issuers), jwksCooldownMs: settings.jwksCooldownMs },
    serviceToken: clientCredentialsTokenProvider({ ...service, issuer: providers.issuers[REGION_PROVIDER]! }),
    async bearer(role, municipality, sub, provider?: string) {
      const roles = Array.isArray(role) ? role : [role];
      provider ??= municipality && roles.some((r) => MUNICIPAL_ROLES.has(r)) ? municipality : REGION_PROVIDER;
      const subject = sub ?? `test-${roles.join('-').toLowerCase()}${municipality ? `-${municipality}` : ''}`;
      return { authorization: `Bearer ${await devUserToken(providers.issuers[provider]!, devTokenSecret, { sub: subject, roles, municipality })}` };
    },
  };
  return identity;
}

/**
 * The whole region for end-to-end tests: eight real municipal deployments, each
 * on its own database with the real migrations (and, by default, the demo data),
 * the regional subgraph, and the gateway, all over real HTTP on free ports.
 */
export async function startTestRegion(
  options: {
    seed?: boolean;
    shardTimeoutMs?: number;
    /** Point the gateway elsewhere for these codes. */
    gatewayUrlOverrides?: Record<string, string>;
    /** Point the regional subgraph's placement steps elsewhere for these codes (e.g. through a faulty proxy). */
    regionalUrlOverrides?: Record<string, string>;
    /** Point the gateway's calls to the regional subgraph elsewhere (e.g. through a faulty proxy; plain http). */
    gatewayRegionalUrl?: string;
    /** How long the gateway waits for the regional subgraph's answer (default: the gateway's). */
    gatewayRegionalTimeoutMs?: number;
    /** The regional subgraph's circuit breaker per shard (default: the client's). */
    regionalShardBreaker?: { failureThreshold: number; cooldownMs: number };
    /** How long an offer holds its places. */
    holdMinutes?: number;
    /** How long a placement step may be in flight before the reconciler takes it over (default: the service's, 2 minutes). */
    reconcileGraceMs?: number;
    /**
     * Where every service logs (default: nowhere), e.g. to read the logs in a test. Each service
     * logs through a child with a `component` binding: `gateway`, `regional`, `municipality-0126`, …
     */
    logger?: Logger;
    /** Told the text of every SQL statement each municipal deployment sends, with its kommunkod. */
    onShardQuery?: (municipalityCode: string, sql: string) => void;
    /** Let the gateway answer introspection (as INTROSPECTION=true does in development); default off, as in production. */
    introspection?: boolean;
    /** Members beyond the registry's eight (e.g. a ninth joining the region): their own shards, in the registry every service reads. */
    extraMembers?: { code: string; name: string }[];
    /** Each shard's statistics keys (default: the shared development secret). */
    statisticsSeeds?: (municipalityCode: string) => TestStatisticsSeeds;
    /** Each shard's statistics coverage lock (hours; default: the shard's own default). */
    statisticsCoverageLockHours?: number;
    /** Disclosure-control threshold of the regional statistics (default 5). */
    statisticsThreshold?: number;
    /** Run the regional notification dispatcher with these channels and timings (default: none runs). */
    notifications?: NotificationSettings;
    /** The gateway's registered operations, and whether browser roles may run only those (production). */
    trustedDocuments?: TrustedDocuments;
    /** Plain HTTP on every hop instead of TLS and mutual TLS (e.g. to measure what TLS costs). */
    plainHttp?: boolean;
    /** Trust the development OpenID Providers instead of the test issuer (see providersIdentity and ProviderSettings). */
    identityProviders?: boolean | ProviderSettings;
  } = {},
): Promise<TestRegion> {
  const members = [...loadRegistry(), ...(options.extraMembers ?? []).map((m) => ({ ...m, url: 'http://127.0.0.1:9/graphql' }))];
  const identity: RegionIdentity = options.identityProviders
    ? await providersIdentity(members, typeof options.identityProviders === 'object' ? options.identityProviders : {})
    : { trust: await testVerifierOptions(), bearer: testIssuerBearer };
  const tls = options.plainHttp ? undefined : await regionTls(members.map((m) => m.code));
  const shards = new Map<string, TestShard>();
  const loggerOf = (component: string) => options.logger?.child({ component });
  for (const member of members) {
    const onShardQuery = options.onShardQuery;
    const onQuery = onShardQuery && ((sql: string) => onShardQuery(member.code, sql));
    shards.set(
      member.code,
      await startTestShard(member.code, {
        seed: options.seed ?? true,
        logger: loggerOf(`municipality-${member.code}`),
        onQuery,
        coverageLockHours: options.statisticsCoverageLockHours,
        statisticsSeeds: options.statisticsSeeds?.(member.code),
        tls: tls?.shards[member.code],
        trust: identity.trust,
      }),
    );
  }
  const registry = members.map((m) => ({ ...m, url: shards.get(m.code)!.url, ...(tls ? { tls: tls.shardTrust[m.code] } : {}) }));
  const regional = await startTestRegional(
    registry.map((m) => ({ ...m, url: options.regionalUrlOverrides?.[m.code] ?? m.url })),
    {
      logger: loggerOf('regional'),
      holdMinutes: options.holdMinutes,
      reconcileGraceMs: options.reconcileGraceMs,
      // A statistics round asks all eight in-process shards for eight perturbed tables each: on a busy
      // test machine that can outlast 3 s. Tests about timeouts pass their own.
      shardTimeoutMs: options.shardTimeoutMs ?? 10_000,
      shardBreaker: options.regionalShardBreaker,
      statisticsThreshold: options.statisticsThreshold,
      notifications: options.notifications,
      tls: tls?.regional,
      trust: identity.trust,
      serviceToken: identity.serviceToken,
    },
  );
  const server = await createGatewayServer({
    supergraphSdl: readFileSync(SCHEMA_FILES.supergraph, 'utf8'),
    municipalitySdl: readFileSync(SCHEMA_FILES.municipality, 'utf8'),
    regionalUrl: options.gatewayRegionalUrl ?? regional.url,
    regionalTimeoutMs: options.gatewayRegionalTimeoutMs,
    regionalTrust: tls?.regionalTrust,
    tls: tls?.gateway,
    municipalities: registry.map((m) => ({ ...m, url: options.gatewayUrlOverrides?.[m.code] ?? m.url })),
    shardTimeoutMs: options.shardTimeoutMs ?? 3_000,
    verifier: createTokenVerifier(identity.trust),
    logger: loggerOf('gateway') ?? createLogger('test-gateway', 'silent'),
    introspection: options.introspection,
    trustedDocuments: options.trustedDocuments,
  });
  const listening = await listen(server.app, 0, '127.0.0.1', tls?.gateway);
  return {
    gateway: { ...listening, server },
    shards,
    regional,
    registry,
    certificates: tls?.pki,
    gatewayTls: { tls: tls?.gateway, regionalTrust: tls?.regionalTrust },
    providers: identity.providers,
    providerSpecs: identity.providerSpecs,
    ...(identity.restartProviders && {
      async restartProviders(this: TestRegion) {
        this.providers = await identity.restartProviders!();
        return this.providers;
      },
    }),
    trust: identity.trust,
    bearer: identity.bearer,
    async destroy() {
      await listening.close();
      await server.stop();
      await regional.destroy();
      await Promise.all([...shards.values()].map((s) => s.destroy()));
      await identity.providers?.stop();
      tls?.close();
    },
  };
}

/**
 * TLS as a deployment has it: a CA per municipality for its shard and the region's CA for the
 * gateway and the regional subgraph; shards accept the gateway and the regional subgraph by client
 * certificate, the regional subgraph the gateway. Callers may still use plain http for a test's
 * own fakes and proxies (gatewayUrlOverrides, regionalUrlOverrides). This process calls as the
 * gateway does (see callAsRegionService).
 */
async function regionTls(codes: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'test-region-pki-'));
  const pki = await writeRegionPki(dir, codes);
  const logger = createLogger('test-region-tls', 'silent');
  const serving = (files: { certFile: string; keyFile: string }, clientIdentities?: string[]): TransportEnv => ({
    server: { kind: 'tls', ...files, ...(clientIdentities ? { clientCaFile: pki.regionCaFile, clientIdentities } : {}) },
    clientCertificate: files,
    allowPlainHttp: true,
  });
  const shards = Object.fromEntries(
    codes.map((code) => [code, new ServiceTls(serving(pki.municipalities[code]!, [pki.gateway.identity, pki.regional.identity]), logger)]),
  );
  const regional = new ServiceTls(serving(pki.regional, [pki.gateway.identity]), logger);
  const gateway = new ServiceTls(serving(pki.gateway), logger);
  callAsRegionService(pki);
  return {
    pki,
    shards,
    regional,
    gateway,
    shardTrust: Object.fromEntries(codes.map((code) => [code, { caFile: pki.municipalities[code]!.caFile, identity: pki.municipalities[code]!.identity }])),
    regionalTrust: { caFile: pki.regionCaFile, identity: pki.regional.identity },
    close() {
      for (const service of [...Object.values(shards), regional, gateway]) service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
