import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotent operations are kept for IDEMPOTENCY_RETENTION_DAYS, then pruned (see
 * idempotency/pruning.ts); the index lets the pruning find the old rows without reading them all.
 */
export class Migration20261127050000IdempotencyPruning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "idempotent_operation_created_at_index" on "idempotent_operation" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "idempotent_operation_created_at_index";`);
  }
}
