import { Migration } from '@mikro-orm/migrations';

/**
 * Which placements' bookings a read of a unit's street address concerns (issue #18, the access
 * request). An address read is recorded with the unit as its subject; the unit's address is the
 * home of whoever is placed there, so the read is also a read of their data. The shard writes,
 * with the row, the ids of the unit's placement bookings that were confirmed (or ended but not
 * yet moved out of) at that moment, and the home municipality asks for exactly the reads that name
 * its participant's booking — by a booking id the receiving shard holds already, so it learns
 * nothing personal. Old rows keep an empty list (and their hash, see audit-chain.ts).
 *
 * Adding a column is DDL, not an UPDATE: the append-only trigger does not fire, and no row changes.
 */
export class Migration20261205211500AuditReadConcernsBookings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "concerns_bookings" uuid[] not null default '{}';`);
    this.addSql(`create index "audit_log_concerns_bookings_index" on "audit_log" using gin ("concerns_bookings");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_log_concerns_bookings_index";`);
    this.addSql(`alter table "audit_log" drop column if exists "concerns_bookings";`);
  }
}
