import { Migration } from '@mikro-orm/migrations';

const LIVE_REQUEST_STATUSES = `('OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE')`;

/**
 * The placement lifecycle: the request's needs profile and link to the regional
 * placement, holds that expire, idempotent operations, and the database's own
 * guarantee that no unit is ever over-booked, whatever code path writes.
 */
export class Migration20261127020000Placements extends Migration {
  override async up(): Promise<void> {
    // Placement requests: the rest of the coarse needs profile, the placement they belong to.
    this.addSql(`alter table "placement_request" add column "needs_wheelchair_access" boolean not null default false;`);
    this.addSql(`alter table "placement_request" add column "support_needs" text[] not null default '{}';`);
    // Requests made before this migration accept any kind of unit.
    this.addSql(`alter table "placement_request" add column "allowed_kinds" text[] not null default '{PROTECTED,TRAINING_FLAT,EMERGENCY,SUPPORTED}';`);
    this.addSql(`alter table "placement_request" alter column "allowed_kinds" drop default;`);
    this.addSql(`alter table "placement_request" add column "placement_id" uuid null;`);
    this.addSql(`alter table "placement_request" add column "updated_at" timestamptz null;`);
    this.addSql(`update "placement_request" set "updated_at" = "created_at";`);
    this.addSql(`alter table "placement_request" alter column "updated_at" set not null;`);
    this.addSql(
      `alter table "placement_request" add constraint placement_request_allowed_kinds_valid check (cardinality(allowed_kinds) > 0 and allowed_kinds <@ '{PROTECTED,TRAINING_FLAT,EMERGENCY,SUPPORTED}'::text[]);`,
    );
    this.addSql(
      `alter table "placement_request" add constraint placement_request_support_needs_valid check (support_needs <@ '{MENTOR,COUNSELLING,ADDICTION_CARE,WORK_OR_STUDIES,CHILDCARE}'::text[]);`,
    );
    // At most one request in progress per participant, whichever code path writes.
    this.addSql(
      `create unique index "placement_request_one_live_per_participant" on "placement_request" ("participant_id") where status in ${LIVE_REQUEST_STATUSES};`,
    );

    // Bookings: the placement and sending municipality they serve, when a hold lapses.
    this.addSql(`alter table "booking" add column "placement_id" uuid null;`);
    this.addSql(`alter table "booking" add column "sending_municipality" varchar(4) null;`);
    this.addSql(`alter table "booking" add column "expires_at" timestamptz null;`);
    this.addSql(`alter table "booking" add column "updated_at" timestamptz null;`);
    this.addSql(`update "booking" set "updated_at" = "created_at";`);
    this.addSql(`alter table "booking" alter column "updated_at" set not null;`);
    this.addSql(`alter table "booking" add constraint booking_sending_municipality_format check (sending_municipality ~ '^[0-9]{4}$');`);
    this.addSql(`create index "booking_sending_municipality_index" on "booking" ("sending_municipality", "unit_id");`);

    this.addSql(
      `create table "idempotent_operation" ("key" varchar(200) not null, "operation" varchar(60) not null, "arguments_hash" varchar(64) not null, "result" jsonb not null, "created_at" timestamptz not null, constraint "idempotent_operation_pkey" primary key ("key"));`,
    );

    // The one definition of "occupies places": confirmed, or held and not yet expired (a hold
    // without expiry never lapses). freePlaces and the capacity check below both use it.
    this.addSql(
      `create function booking_occupies(status booking_status, expires_at timestamptz) returns boolean language sql stable as $$
         select status = 'CONFIRMED' or (status = 'HELD' and (expires_at is null or expires_at > now()))
       $$;`,
    );
    // Before the row is written, lock its unit: concurrent writers of one unit's bookings queue here,
    // ahead of the foreign-key check's weaker lock (taking FOR UPDATE only after it, two writers
    // could each hold the weak lock and deadlock on the upgrade).
    this.addSql(
      `create function booking_lock_unit() returns trigger language plpgsql as $$
       begin
         if booking_occupies(new.status, new.expires_at) then
           perform 1 from housing_unit u where u.id = new.unit_id for update;
         end if;
         return new;
       end $$;`,
    );
    this.addSql(
      `create trigger booking_lock_unit before insert or update of status, places, starts_on, ends_on, expires_at, unit_id on booking
         for each row execute function booking_lock_unit();`,
    );
    // Counts, under that lock, what the unit holds on each day of the booking; every statement of
    // a plpgsql function takes a fresh snapshot, so the rows of writers that queued before are seen.
    this.addSql(
      `create function booking_within_capacity() returns trigger language plpgsql as $$
       declare
         capacity smallint;
         first_day date;
         occupied bigint;
       begin
         if not booking_occupies(new.status, new.expires_at) then
           return null;
         end if;
         select u.places into capacity from housing_unit u where u.id = new.unit_id for update;
         select day::date, sum(b.places) into first_day, occupied
           from generate_series(new.starts_on, new.ends_on - 1, interval '1 day') as day
           join booking b on b.unit_id = new.unit_id and b.starts_on <= day and b.ends_on > day and booking_occupies(b.status, b.expires_at)
          group by day
         having sum(b.places) > capacity
          order by day
          limit 1;
         if found then
           raise exception 'housing unit % would be over-booked: % places taken of % on %', new.unit_id, occupied, capacity, first_day
             using errcode = 'check_violation', constraint = 'booking_within_capacity', table = 'booking';
         end if;
         return null;
       end $$;`,
    );
    this.addSql(
      `create constraint trigger booking_within_capacity after insert or update of status, places, starts_on, ends_on, expires_at, unit_id on booking
         deferrable initially immediate for each row execute function booking_within_capacity();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists booking_within_capacity on booking;`);
    this.addSql(`drop function if exists booking_within_capacity();`);
    this.addSql(`drop trigger if exists booking_lock_unit on booking;`);
    this.addSql(`drop function if exists booking_lock_unit();`);
    this.addSql(`drop function if exists booking_occupies(booking_status, timestamptz);`);
    this.addSql(`drop table if exists "idempotent_operation" cascade;`);
    this.addSql(`drop index if exists "booking_sending_municipality_index";`);
    this.addSql(`alter table "booking" drop constraint if exists booking_sending_municipality_format;`);
    for (const column of ['placement_id', 'sending_municipality', 'expires_at', 'updated_at']) {
      this.addSql(`alter table "booking" drop column if exists "${column}";`);
    }
    this.addSql(`drop index if exists "placement_request_one_live_per_participant";`);
    this.addSql(`alter table "placement_request" drop constraint if exists placement_request_allowed_kinds_valid;`);
    this.addSql(`alter table "placement_request" drop constraint if exists placement_request_support_needs_valid;`);
    for (const column of ['needs_wheelchair_access', 'support_needs', 'allowed_kinds', 'placement_id', 'updated_at']) {
      this.addSql(`alter table "placement_request" drop column if exists "${column}";`);
    }
  }
}
