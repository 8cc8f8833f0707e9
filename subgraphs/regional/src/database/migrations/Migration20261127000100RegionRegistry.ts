import { Migration } from '@mikro-orm/migrations';

/** The region's registry of member municipalities. */
export class Migration20261127000100RegionRegistry extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "municipality" ("code" varchar(4) not null, "name" varchar(100) not null, "updated_at" timestamptz not null, constraint "municipality_pkey" primary key ("code"), constraint municipality_code_format check (code ~ '^[0-9]{4}$'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "municipality" cascade;');
  }
}
