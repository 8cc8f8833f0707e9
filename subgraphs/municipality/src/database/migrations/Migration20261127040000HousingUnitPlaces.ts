import { Migration } from '@mikro-orm/migrations';

/**
 * The other half of "no unit is ever over-booked": booking_within_capacity guards every write of
 * a booking, this guards the unit's side. Lowering `housing_unit.places` below the most places
 * occupied on some day from today on is refused, whatever code path writes (the API has refused
 * it since the start, in updateHousingUnit; raw SQL could do it).
 *
 * Which days count: from today on, today in Stockholm, as updateHousingUnit does. Past days are
 * history: a flat that housed three last spring and has two places from now on was not
 * over-booked then, and counting them would make a unit's places impossible to lower for as long
 * as its past is kept. Matching the API also keeps its friendly VALIDATION_FAILED the answer a user
 * sees: it counts the same days, with the day taken from the application's clock just before the
 * transaction starts, so the database's day (from now(), the transaction's start) is never earlier.
 * (booking_within_capacity counts every day of the booking it checks, past ones too: once a unit's
 * places are lowered, a later write of an occupying booking that reaches back before today, such as
 * confirming a hold that began yesterday, is refused if some past day held more than the new places.)
 *
 * The unit's status is not checked: occupancy (booking_occupies) and capacity (places, in
 * booking_within_capacity) do not depend on it. A unit OUT_OF_SERVICE or RETIRED offers no free
 * places (freePlacesOfUnits), but its bookings still fit its places, so no status change over-books.
 * (The API's refusal to retire a unit with bookings ahead keeps people from being stranded; that is
 * a rule of the service, not of capacity.)
 *
 * Concurrency. Every write that can make a booking occupy places locks the unit row FOR UPDATE
 * before it writes (booking_lock_unit) and counts under that lock. An UPDATE of the unit takes the
 * row's FOR NO KEY UPDATE lock before any trigger runs, and that conflicts with FOR UPDATE, so the
 * lock order is the same on both sides, the unit row first: a booking written meanwhile waits for
 * this transaction to end and is then counted against the new places by its own trigger; a booking
 * whose transaction holds the lock first makes this UPDATE wait, and this trigger, whose statements
 * each take a fresh snapshot (READ COMMITTED, the service's level), counts it. The trigger takes no
 * stronger lock of its own: upgrading to FOR UPDATE would wait on the FOR KEY SHARE locks of foreign-key
 * checks, and a transaction holding one (say, it inserted a RELEASED booking) that then confirms it
 * would wait on us: a deadlock. Under REPEATABLE READ a trigger counts with the transaction's
 * snapshot and cannot see a booking committed after it began; that holds for the booking trigger too.
 *
 * Like booking_within_capacity it is a deferrable constraint trigger, so a transaction that lowers
 * the places and releases bookings in either order can `set constraints ... deferred`. It re-reads
 * the unit's places rather than trusting NEW, which for a deferred check may be an older version of
 * the row than the one that commits.
 */
export class Migration20261127040000HousingUnitPlaces extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create function housing_unit_places_cover_bookings() returns trigger language plpgsql as $$
       declare
         today constant date := (now() at time zone 'Europe/Stockholm')::date;
         capacity smallint;
         peak_day date;
         peak bigint;
       begin
         -- Only fewer places can over-book. (Tested here rather than by the trigger's WHEN clause or
         -- an UPDATE OF places column list: either would forbid altering the column's type while the
         -- trigger exists.)
         if new.places >= old.places then
           return null;
         end if;
         select u.places into capacity from housing_unit u where u.id = new.id;
         if not found then
           return null; -- deleted later in the same transaction
         end if;
         -- The busiest day from today on (the earliest of equals), as updateHousingUnit counts it.
         select day::date, sum(b.places) into peak_day, peak
           from booking b
           join lateral generate_series(greatest(b.starts_on, today), b.ends_on - 1, interval '1 day') as day on true
          where b.unit_id = new.id and b.ends_on > today and booking_occupies(b.status, b.expires_at)
          group by day
          order by sum(b.places) desc, day
          limit 1;
         if found and peak > capacity then
           raise exception 'housing unit % cannot have % places: % places are taken on %, the busiest day from today on', new.id, capacity, peak, peak_day
             using errcode = 'check_violation', constraint = 'housing_unit_places_cover_bookings', table = 'housing_unit';
         end if;
         return null;
       end $$;`,
    );
    // Fires on every update of a unit; it returns at once unless the places went down.
    this.addSql(
      `create constraint trigger housing_unit_places_cover_bookings after update on housing_unit
         deferrable initially immediate for each row execute function housing_unit_places_cover_bookings();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists housing_unit_places_cover_bookings on housing_unit;`);
    this.addSql(`drop function if exists housing_unit_places_cover_bookings();`);
  }
}
