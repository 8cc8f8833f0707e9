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
 *
 * A class, so the two are getters on its prototype: Apollo Server copies each request's context
 * (`Object.assign` onto an object of the same prototype), which called getters written in an object
 * literal and so forked on every request. The copy shares `made` with the original (the same
 * object), so loaders and resolvers see one fork whichever of the two they were given.
 */
class RequestContext implements ShardContext {
  readonly municipalityCode: string;
  readonly identity?: Identity;
  readonly reads: EntityManager;
  readonly loaders: Loaders;
  readonly audit: RequestAuditLog;
  readonly caseReferenceKey: string;
  readonly requestId: string;
  readonly statistics: StatisticsSettings;
  private readonly made: { em?: EntityManager; logger?: Logger } = {};

  constructor(private readonly input: ShardContextInput) {
    this.municipalityCode = input.municipalityCode;
    this.identity = input.identity;
    this.reads = input.em;
    this.loaders = createLoaders(() => this.em, input.em);
    this.audit = new RequestAuditLog(input.em, input.identity, input.requestId, input.purpose);
    this.caseReferenceKey = input.caseReferenceKey;
    this.requestId = input.requestId;
    this.statistics = input.statistics ?? DEFAULT_STATISTICS_SETTINGS;
  }

  get em(): EntityManager {
    return (this.made.em ??= this.input.em.fork());
  }

  get logger(): Logger {
    return (this.made.logger ??= this.input.logger.child({ requestId: this.input.requestId }));
  }
}

export function createShardContext(input: ShardContextInput): ShardContext {
  return new RequestContext(input);
}
