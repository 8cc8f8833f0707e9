import { Migration } from '@mikro-orm/migrations';

/**
 * The statistics rounds this municipality took part in (year, sorted participant
 * list, when), for the coverage lock against differencing (guardCoverage). The
 * service's own role owns the table: it inserts, reads and prunes rows.
 */
export class Migration20261127030000StatisticsParticipation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_participation" ("id" bigserial primary key, "year" smallint not null, "participants" text[] not null, "taken_at" timestamptz not null);`,
    );
    this.addSql(`create index "statistics_participation_year_taken_at_index" on "statistics_participation" ("year", "taken_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "statistics_participation" cascade;`);
  }
}
