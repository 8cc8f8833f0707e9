import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@sodertorn/service-kit';

export interface RegionalContext {
  em: EntityManager;
  logger: Logger;
  requestId: string;
}
