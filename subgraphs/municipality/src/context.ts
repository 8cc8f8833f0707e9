import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@sodertorn/auth';
import type { AuthorizationContext, Logger } from '@sodertorn/service-kit';
import { RequestAuditLog } from './audit/audit-log';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver of a municipal deployment gets. */
export interface ShardContext extends AuthorizationContext {
  /** The kommunkod this deployment serves (from its configuration, never from the request). */
  municipalityCode: string;
  /** The verified caller; absent only for the schema request (`_service`). */
  identity?: Identity;
  /** A fork of the entity manager for this request only. */
  em: EntityManager;
  loaders: Loaders;
  audit: RequestAuditLog;
  /** This municipality's secret for pseudonymous case references. */
  caseReferenceKey: string;
  logger: Logger;
  requestId: string;
  /** Joint statistics: the development seed secret of secure aggregation (absent: maskedStatistics refuses) and the threshold. */
  statistics: { seedSecret?: string; threshold: number };
}

export interface ShardContextInput {
  municipalityCode: string;
  identity?: Identity;
  em: EntityManager;
  logger: Logger;
  requestId: string;
  /** Why the caller reads, when they say (X-Purpose header); recorded in the audit log. */
  purpose: string | null;
  caseReferenceKey: string;
  statistics?: { seedSecret?: string; threshold: number };
}

export function createShardContext(input: ShardContextInput): ShardContext {
  const em = input.em.fork();
  return {
    municipalityCode: input.municipalityCode,
    identity: input.identity,
    em,
    loaders: createLoaders(em),
    audit: new RequestAuditLog(input.em, input.identity, input.requestId, input.purpose),
    caseReferenceKey: input.caseReferenceKey,
    logger: input.logger.child({ requestId: input.requestId }),
    requestId: input.requestId,
    statistics: input.statistics ?? { threshold: 5 },
  };
}
