import { Migration } from '@mikro-orm/migrations';

/** Participants, housing units, bookings, support resources and placement requests. */
export class Migration20261127000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "housing_unit_kind" as enum ('PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED');`);
    this.addSql(`create type "housing_unit_status" as enum ('AVAILABLE', 'OUT_OF_SERVICE', 'RETIRED');`);
    this.addSql(`create type "booking_status" as enum ('HELD', 'CONFIRMED', 'RELEASED', 'ENDED');`);
    this.addSql(`create type "gender" as enum ('FEMALE', 'MALE', 'OTHER');`);
    this.addSql(`create type "participant_phase" as enum ('INTAKE', 'ASSESSMENT', 'ACTIVE', 'PLACED', 'COMPLETED', 'DISCONTINUED');`);
    this.addSql(`create type "referral_source" as enum ('POLICE', 'SOCIAL_SERVICES', 'PRISON_AND_PROBATION', 'SELF', 'OTHER');`);
    this.addSql(`create type "risk_level" as enum ('LOW', 'MEDIUM', 'HIGH');`);
    this.addSql(`create type "exit_outcome" as enum ('COMPLETED', 'DISCONTINUED', 'RELAPSE');`);
    this.addSql(`create type "placement_request_status" as enum ('DRAFT', 'OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED', 'CANCELLED');`);
    this.addSql(`create type "urgency" as enum ('IMMEDIATE', 'HIGH', 'NORMAL');`);
    this.addSql(`create type "support_resource_kind" as enum ('MENTOR', 'PROGRAMME');`);
    this.addSql(
      `create table "housing_unit" ("id" uuid not null, "kind" "housing_unit_kind" not null, "places" smallint not null, "district" varchar(100) not null, "street_address" varchar(200) not null, "wheelchair_accessible" boolean not null, "suitable_for_children" boolean not null, "status" "housing_unit_status" not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "housing_unit_pkey" primary key ("id"), constraint housing_unit_places_positive check (places > 0));`,
    );
    this.addSql(
      `create table "booking" ("id" uuid not null, "unit_id" uuid not null, "places" smallint not null, "starts_on" date not null, "ends_on" date not null, "status" "booking_status" not null, "created_at" timestamptz not null, constraint "booking_pkey" primary key ("id"), constraint booking_period_not_empty check (ends_on > starts_on), constraint booking_places_positive check (places > 0));`,
    );
    this.addSql(`create index "booking_unit_period_index" on "booking" ("unit_id", "starts_on", "ends_on");`);
    this.addSql(
      `create table "participant" ("id" uuid not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "personal_identity_number" varchar(12) not null, "protected_identity" boolean not null, "birth_date" date not null, "gender" "gender" not null, "household_adults" smallint not null, "household_children" smallint not null, "phase" "participant_phase" not null, "referral_source" "referral_source" not null, "risk_level" "risk_level" not null, "excluded_municipalities" text[] not null, "intake_date" date not null, "exit_date" date null, "exit_outcome" "exit_outcome" null, "responsible_caseworker" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "participant_pkey" primary key ("id"), constraint participant_exit_complete check ((exit_date is null) = (exit_outcome is null)), constraint participant_personal_identity_number_format check (personal_identity_number ~ '^[0-9]{12}$'), constraint participant_household_valid check (household_adults >= 1 and household_children >= 0));`,
    );
    this.addSql(`alter table "participant" add constraint "participant_personal_identity_number_unique" unique ("personal_identity_number");`);
    this.addSql(
      `create table "placement_request" ("id" uuid not null, "participant_id" uuid not null, "status" "placement_request_status" not null default 'DRAFT', "urgency" "urgency" not null, "earliest_start" date not null, "expected_duration_days" smallint not null, "created_at" timestamptz not null, constraint "placement_request_pkey" primary key ("id"), constraint placement_request_duration_positive check (expected_duration_days > 0));`,
    );
    this.addSql(`create index "placement_request_participant_index" on "placement_request" ("participant_id");`);
    this.addSql(
      `create table "support_resource" ("id" uuid not null, "kind" "support_resource_kind" not null, "name" varchar(200) not null, "capacity" smallint not null, "created_at" timestamptz not null, constraint "support_resource_pkey" primary key ("id"), constraint support_resource_capacity_not_negative check (capacity >= 0));`,
    );
    this.addSql(
      `alter table "booking" add constraint "booking_unit_id_foreign" foreign key ("unit_id") references "housing_unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "placement_request" add constraint "placement_request_participant_id_foreign" foreign key ("participant_id") references "participant" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    for (const table of ['placement_request', 'booking', 'participant', 'housing_unit', 'support_resource']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
    for (const type of [
      'housing_unit_kind',
      'housing_unit_status',
      'booking_status',
      'gender',
      'participant_phase',
      'referral_source',
      'risk_level',
      'exit_outcome',
      'placement_request_status',
      'urgency',
      'support_resource_kind',
    ]) {
      this.addSql(`drop type if exists "${type}";`);
    }
  }
}
