import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A mutation done under an idempotency key: what it was, a hash of its
 * arguments, and the result it returned, so that a retry returns that result
 * instead of doing the work again. Kept for IDEMPOTENCY_RETENTION_DAYS (see pruning.ts).
 */
@Entity({ tableName: 'idempotent_operation' })
@Index({ name: 'idempotent_operation_created_at_index', properties: ['createdAt'] })
export class IdempotentOperation {
  @PrimaryKey({ length: 200 })
  key!: string;

  /** The mutation's field name, e.g. holdPlaces. */
  @Property({ length: 60 })
  operation!: string;

  /** SHA-256 (hex) of the arguments in canonical JSON. */
  @Property({ length: 64 })
  argumentsHash!: string;

  @Property({ type: 'json' })
  result!: unknown;

  /** When the operation was done; rows older than the retention are pruned. */
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
