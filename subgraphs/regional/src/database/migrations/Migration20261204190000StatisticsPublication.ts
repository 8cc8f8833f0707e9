import { Migration } from '@mikro-orm/migrations';

/** Released statistics stored as released (the cell key method's stable releases), and the release number in the log. */
export class Migration20261204190000StatisticsPublication extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_publication" ("id" bigserial primary key, "year" smallint not null, "release" smallint not null, "dataset" varchar(100) not null, "municipalities_covered" text[] not null, "missing" jsonb not null, "tables" jsonb not null, "released_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "statistics_publication" add constraint "statistics_publication_year_release_dataset_unique" unique ("year", "release", "dataset");`,
    );
    this.addSql(`alter table "statistics_release" add column "release" smallint not null default 1;`);
    this.addSql(`alter table "statistics_release" alter column "release" drop default;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "statistics_publication" cascade;');
    this.addSql('alter table "statistics_release" drop column "release";');
  }
}
