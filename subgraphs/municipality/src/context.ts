import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@sodertorn/service-kit';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver of a municipal deployment gets. */
export interface ShardContext {
  /** The kommunkod this deployment serves (from its configuration, never from the request). */
  municipalityCode: string;
  /** A fork of the entity manager for this request only. */
  em: EntityManager;
  loaders: Loaders;
  logger: Logger;
  requestId: string;
}

export function createShardContext(municipalityCode: string, em: EntityManager, logger: Logger, requestId: string): ShardContext {
  const requestEm = em.fork();
  return { municipalityCode, em: requestEm, loaders: createLoaders(requestEm), logger: logger.child({ requestId }), requestId };
}
