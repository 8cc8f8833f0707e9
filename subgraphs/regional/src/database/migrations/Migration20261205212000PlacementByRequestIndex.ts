import { Migration } from '@mikro-orm/migrations';

/**
 * A request's placements, asked for by a participant's register extract (issue #18) through
 * `PlacementRequest.placements`: found by the sending municipality and request id at once.
 */
export class Migration20261205212000PlacementByRequestIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "placement_request_index" on "placement" ("sending_municipality", "request_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "placement_request_index";`);
  }
}
