import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@sodertorn/auth';
import type { AuthorizationContext, Logger } from '@sodertorn/service-kit';

export interface RegionalContext extends AuthorizationContext {
  identity?: Identity;
  em: EntityManager;
  logger: Logger;
  requestId: string;
}
