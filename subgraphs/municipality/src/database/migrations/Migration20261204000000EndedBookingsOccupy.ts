import { Migration } from '@mikro-orm/migrations';

/**
 * An ended booking occupies its places until its (possibly moved-forward) `ends_on`.
 *
 * Before this, booking_occupies counted only CONFIRMED and live HELD bookings, so ending a stay
 * early with a day of moving out 30 days ahead freed its places for those 30 days at once, and
 * new holds over-booked the unit (issue #10, finding 1). A booking occupies the days of its
 * date range whatever its status says, except when it was released or its hold lapsed: the
 * days are the truth, the status only says whether the places were ever (or are still) taken.
 * Past days of an ended booking count too, as past days of a confirmed one always have.
 */
export class Migration20261204000000EndedBookingsOccupy extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create or replace function booking_occupies(status booking_status, expires_at timestamptz) returns boolean language sql stable as $$
         select status in ('CONFIRMED', 'ENDED') or (status = 'HELD' and (expires_at is null or expires_at > now()))
       $$;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `create or replace function booking_occupies(status booking_status, expires_at timestamptz) returns boolean language sql stable as $$
         select status = 'CONFIRMED' or (status = 'HELD' and (expires_at is null or expires_at > now()))
       $$;`,
    );
  }
}
