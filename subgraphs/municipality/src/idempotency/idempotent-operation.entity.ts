import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A mutation done under an idempotency key: what it was, a hash of its
 * arguments, and the result it returned, so that a retry returns that result
 * instead of doing the work again.
 */
@Entity({ tableName: 'idempotent_operation' })
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

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
