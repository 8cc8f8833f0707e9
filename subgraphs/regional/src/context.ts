import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@sodertorn/auth';
import type { AuthorizationContext, Logger } from '@sodertorn/service-kit';
import type { PlacementSaga } from './placements/placement-saga';
import type { ShardClient } from '@sodertorn/shard-client';
import type { MemberList } from './region/member-list';

export interface RegionalContext extends AuthorizationContext {
  identity?: Identity;
  em: EntityManager;
  logger: Logger;
  requestId: string;
  /** Calls the municipalities' deployments with the region's service token. */
  shards: ShardClient;
  saga: PlacementSaga;
  /** The region's members (the table's list, read at most every few seconds). */
  members: MemberList;
  /** Joint statistics: the minimum frequency, perturbed counts below it are published as 0 (never below 3). */
  statistics: { threshold: number };
}
