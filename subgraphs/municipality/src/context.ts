import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@sodertorn/auth';
import type { AuthorizationContext, Logger } from '@sodertorn/service-kit';
import type { StatisticsKeyring } from './statistics/pairwise-seeds';
import { RequestAuditLog } from './audit/audit-log';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver of a municipal deployment gets. */
export interface ShardContext extends AuthorizationContext {
  /** The kommunkod this deployment serves (from its configuration, never from the request). */
  municipalityCode: string;
  /** The verified caller; absent only for the schema request (`_service`). */
  identity?: Identity;
  /** A fork of the entity manager for this request only, made when first used. */
  readonly em: EntityManager;
  /**
   * The ORM's own entity manager, for plain reads only (readRows): they need no unit of work, so
   * a request answered by them (the region's capacity overview) forks nothing. Never for entities.
   */
  reads: EntityManager;
  loaders: Loaders;
  audit: RequestAuditLog;
  /** This municipality's secret for pseudonymous case references. */
  caseReferenceKey: string;
  logger: Logger;
  requestId: string;
  statistics: StatisticsSettings;
}

/** Joint statistics as this deployment is configured for them. */
export interface StatisticsSettings {
  /** The keys of secure aggregation's pairwise masks (X25519 or the development secret); absent: the shard takes part in no round. */
  keyring?: StatisticsKeyring;
  /** Minimum frequency of this shard's own tables: perturbed counts below it are published as 0 (never below 3). */
  threshold: number;
  /** The coverage lock's window in hours (see guardCoverage); 0: no lock. */
  coverageLockHours: number;
}

/** Statistics settings when none are given: no seeds (no rounds), threshold 5, a 30-day coverage lock. */
export const DEFAULT_STATISTICS_SETTINGS: StatisticsSettings = { threshold: 5, coverageLockHours: 720 };

export interface ShardContextInput {
  municipalityCode: string;
  identity?: Identity;
  em: EntityManager;
  logger: Logger;
  requestId: string;
  /** Why the caller reads, when they say (X-Purpose header); recorded in the audit log. */
  purpose: string | null;
  caseReferenceKey: string;
  statistics?: StatisticsSettings;
}

/**
 * The context of one request. The entity manager's fork and the logger's child are made when first
 * used: each cost more than the rest of a small request's context, and a read-only list needs neither.
 */
export function createShardContext(input: ShardContextInput): ShardContext {
  let em: EntityManager | undefined;
  let logger: Logger | undefined;
  const fork = () => (em ??= input.em.fork());
  return {
    municipalityCode: input.municipalityCode,
    identity: input.identity,
    get em() {
      return fork();
    },
    reads: input.em,
    loaders: createLoaders(fork, input.em),
    audit: new RequestAuditLog(input.em, input.identity, input.requestId, input.purpose),
    caseReferenceKey: input.caseReferenceKey,
    get logger() {
      return (logger ??= input.logger.child({ requestId: input.requestId }));
    },
    requestId: input.requestId,
    statistics: input.statistics ?? DEFAULT_STATISTICS_SETTINGS,
  };
}
