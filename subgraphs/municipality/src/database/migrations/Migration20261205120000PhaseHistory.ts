import { Migration } from '@mikro-orm/migrations';

/**
 * A participant's phase history, kept by the database itself: a trigger records the phase when a
 * participant is registered and each time it changes, whatever changed it (the caseworker's
 * update, the move-in that makes them PLACED, a restore), so no path can forget to. The rows go
 * with the participant (on delete cascade): they are case data, culled with the case.
 *
 * Participants registered before this migration get one row: their phase as it stands, at their
 * last change (`updated_at`); what came before was never recorded.
 */
export class Migration20261205120000PhaseHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "participant_phase_change" ("id" bigserial primary key, "participant_id" uuid not null, "phase" "participant_phase" not null, "changed_at" timestamptz not null default now());`,
    );
    this.addSql(
      `alter table "participant_phase_change" add constraint "participant_phase_change_participant_id_foreign" foreign key ("participant_id") references "participant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "participant_phase_change_participant" on "participant_phase_change" ("participant_id", "id");`);
    this.addSql(
      `create function record_participant_phase() returns trigger language plpgsql as $$
         begin
           insert into participant_phase_change (participant_id, phase) values (new.id, new.phase);
           return null;
         end
       $$;`,
    );
    this.addSql(`create trigger participant_phase_registered after insert on "participant" for each row execute function record_participant_phase();`);
    this.addSql(
      `create trigger participant_phase_changed after update of "phase" on "participant" for each row when (old.phase is distinct from new.phase) execute function record_participant_phase();`,
    );
    this.addSql(`insert into "participant_phase_change" ("participant_id", "phase", "changed_at") select "id", "phase", "updated_at" from "participant";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger participant_phase_changed on "participant";`);
    this.addSql(`drop trigger participant_phase_registered on "participant";`);
    this.addSql(`drop function record_participant_phase();`);
    this.addSql(`drop table "participant_phase_change";`);
  }
}
