import { Migration } from '@mikro-orm/migrations';

/** The release log of the joint statistics: what was released, when, to whom. No cell values. */
export class Migration20261127030100StatisticsRelease extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "statistics_release" ("id" bigserial primary key, "dataset" varchar(100) not null, "year" smallint not null, "municipalities_covered" text[] not null, "threshold" smallint not null, "client_sub" varchar(200) not null, "request_id" varchar(100) not null, "released_at" timestamptz not null);`,
    );
    this.addSql(`create index "statistics_release_released_at_index" on "statistics_release" ("released_at");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "statistics_release" cascade;');
  }
}
