import { Migration } from '@mikro-orm/migrations';

/** Placements and their history: pseudonymous references and statuses only. */
export class Migration20261127020100Placements extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "placement_status" as enum ('PENDING_OFFER', 'OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'FAILED');`,
    );
    this.addSql(
      `create table "placement" ("id" uuid not null, "status" "placement_status" not null, "sending_municipality" varchar(4) not null, "request_id" uuid not null, "receiving_municipality" varchar(4) not null, "unit_id" uuid not null, "booking_id" uuid null, "places" smallint not null, "starts_on" date not null, "ends_on" date not null, "hold_expires_at" timestamptz null, "created_by" varchar(200) not null, "idempotency_key" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "placement_pkey" primary key ("id"), constraint placement_not_home check (sending_municipality <> receiving_municipality));`,
    );
    this.addSql(`alter table "placement" add constraint "placement_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "placement_status_index" on "placement" ("status");`);
    this.addSql(
      `create table "placement_event" ("id" bigserial primary key, "placement_id" uuid not null, "from_status" "placement_status" null, "to_status" "placement_status" not null, "actor_sub" varchar(200) not null, "note" varchar(300) null, "idempotency_key" varchar(200) null, "at" timestamptz not null);`,
    );
    this.addSql(`alter table "placement_event" add constraint "placement_event_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "placement_event_placement_index" on "placement_event" ("placement_id");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "placement_event" cascade;');
    this.addSql('drop table if exists "placement" cascade;');
    this.addSql('drop type if exists "placement_status";');
  }
}
