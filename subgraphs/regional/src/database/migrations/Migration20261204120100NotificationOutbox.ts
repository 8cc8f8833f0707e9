import { Migration } from '@mikro-orm/migrations';

/**
 * The notification outbox: events written with the state change that causes them, one delivery
 * per event and channel with its attempts, and what the reconciler last saw of each
 * municipality (so an outage is told once, and its end once). Pseudonymous references only.
 */
export class Migration20261204120100NotificationOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notification_event" ("id" uuid not null, "type" varchar(40) not null, "recipients" jsonb not null, "data" jsonb not null, "dedupe_key" varchar(200) null, "created_at" timestamptz not null, "fanned_out_at" timestamptz null, constraint "notification_event_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "notification_event" add constraint "notification_event_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notification_event_fanned_out_index" on "notification_event" ("fanned_out_at");`);
    this.addSql(
      `create table "notification_delivery" ("id" bigserial primary key, "event_id" uuid not null, "channel_id" varchar(100) not null, "status" varchar(10) not null default 'PENDING', "attempts" smallint not null default 0, "next_attempt_at" timestamptz not null, "delivered_at" timestamptz null, "last_error" varchar(100) null);`,
    );
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_event_channel_unique" unique ("event_id", "channel_id");`);
    this.addSql(`create index "notification_delivery_due_index" on "notification_delivery" ("status", "next_attempt_at");`);
    this.addSql(
      `create table "municipality_reachability" ("code" varchar(4) not null, "unreachable_since" timestamptz null, "unavailable_event_id" uuid null, constraint "municipality_reachability_pkey" primary key ("code"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "municipality_reachability";');
    this.addSql('drop table if exists "notification_delivery";');
    this.addSql('drop table if exists "notification_event";');
  }
}
