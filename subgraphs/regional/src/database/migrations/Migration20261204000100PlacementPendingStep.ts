import { Migration } from '@mikro-orm/migrations';

/**
 * A step of a placement in flight is written down before any shard is called (`pending_step`),
 * so that whoever comes next — a retry with the same key, or the reconciler — can finish it
 * after an interruption; `version` makes two steps that race on one placement refuse each other
 * instead of both writing.
 */
export class Migration20261204000100PlacementPendingStep extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "placement" add column "pending_step" jsonb null;`);
    this.addSql(`alter table "placement" add column "version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "placement" drop column if exists "version";`);
    this.addSql(`alter table "placement" drop column if exists "pending_step";`);
  }
}
