import { Migration } from '@mikro-orm/migrations';

/**
 * The append-only, hash-chained audit log. The service's own role may insert
 * and select, never change or remove: a trigger refuses UPDATE, DELETE and
 * TRUNCATE whoever asks, and those privileges are revoked from the role too.
 */
export class Migration20261127010000AuditLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_log" ("seq" bigint not null, "occurred_at" timestamptz not null, "actor_sub" varchar(200) not null, "actor_roles" text[] not null, "actor_municipality" varchar(4) null, "action" varchar(40) not null, "subject_type" varchar(40) not null, "subject_id" varchar(100) not null, "purpose" varchar(200) null, "request_id" varchar(100) not null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, constraint "audit_log_pkey" primary key ("seq"));`,
    );
    this.addSql(`create index "audit_log_occurred_at_index" on "audit_log" ("occurred_at");`);
    this.addSql(`create index "audit_log_subject_index" on "audit_log" ("subject_type", "subject_id");`);
    this.addSql(
      `create function audit_log_is_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
       end $$;`,
    );
    this.addSql(`create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_is_append_only();`);
    this.addSql(`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_is_append_only();`);
    this.addSql(`revoke update, delete, truncate on audit_log from current_user;`);
  }

  /** For development rollbacks only: dropping the table discards the log, so production never runs this. */
  override async down(): Promise<void> {
    this.addSql('drop table if exists "audit_log" cascade;');
    this.addSql('drop function if exists audit_log_is_append_only();');
  }
}
