import { Migration } from '@mikro-orm/migrations';

/**
 * Retention and culling (issue #18): legal holds, the cull log, and tombstones in the audit log.
 *
 * A culled audit row keeps its `seq`, `occurred_at`, `prev_hash` and `hash` and loses everything
 * else (`culled_in` names the cull run): the chain still links from genesis to the last row, a
 * removed row still shows as a gap, and the row after a tombstone still proves the tombstone's
 * hash. The append-only trigger lets exactly that one change through, and only for the table's
 * owner (the role `cull` runs as); the runtime role keeps no UPDATE on the table at all
 * (runtimeGrants revokes it), and nobody may DELETE or TRUNCATE.
 *
 * `legal_hold` and `cull_run` are written by the owner only: the migrate command grants the
 * runtime role SELECT on them and nothing else (APPEND_ONLY_TABLES / read-only in orm.ts).
 */
export class Migration20261205213000RetentionCull extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "culled_in" uuid null;`);
    this.addSql(
      `create table "legal_hold" ("participant_id" uuid not null, "reference" varchar(60) not null, "placed_by" varchar(200) not null, "placed_at" timestamptz not null, constraint "legal_hold_pkey" primary key ("participant_id"));`,
    );
    this.addSql(
      `create table "cull_run" ("id" uuid not null, "started_at" timestamptz not null, "case_retention_years" smallint not null, "audit_retention_years" smallint not null, "cases_culled" int not null, "placement_requests_removed" int not null, "idempotency_records_removed" int not null, "audit_rows_tombstoned" int not null, "held_cases_skipped" int not null, "region" jsonb not null, "run_by" varchar(200) not null, constraint "cull_run_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
       begin
         -- The one change allowed: the table's owner turning a row into a tombstone (see the migration's comment).
         if tg_op = 'UPDATE'
            and current_user = (select pg_get_userbyid(c.relowner) from pg_class c where c.oid = tg_relid)
            and old.culled_in is null and new.culled_in is not null
            and new.seq = old.seq and new.occurred_at = old.occurred_at and new.prev_hash = old.prev_hash and new.hash = old.hash
            and new.actor_sub = '' and new.actor_roles = '{}' and new.actor_municipality is null and new.action = 'CULLED'
            and new.subject_type = '' and new.subject_id = '' and new.purpose is null and new.request_id = ''
            and new.concerns_bookings = '{}' then
           return new;
         end if;
         raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
       end $$;`,
    );
    // The first audit migration revoked UPDATE from the owner too; the trigger above narrows it to tombstoning.
    this.addSql(`grant update on audit_log to current_user;`);
  }

  override async down(): Promise<void> {
    this.addSql(`revoke update on audit_log from current_user;`);
    this.addSql(
      `create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
       end $$;`,
    );
    this.addSql('drop table if exists "cull_run";');
    this.addSql('drop table if exists "legal_hold";');
    this.addSql('alter table "audit_log" drop column if exists "culled_in";');
  }
}
