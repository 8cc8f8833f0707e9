import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { HousingUnit } from '../housing/housing-unit.entity';
import { BookingStatus } from './booking.enums';

/**
 * Places of one housing unit over a date range. `endsOn` is exclusive (the day of moving out).
 * The database refuses any write that would over-book the unit on some day (see the
 * Placements migration's `booking_within_capacity` trigger).
 */
@Entity({ tableName: 'booking' })
@Index({ name: 'booking_unit_period_index', properties: ['unit', 'startsOn', 'endsOn'] })
@Index({ name: 'booking_sending_municipality_index', properties: ['sendingMunicipality', 'unit'] })
@Check({ name: 'booking_places_positive', expression: 'places > 0' })
@Check({ name: 'booking_period_not_empty', expression: 'ends_on > starts_on' })
@Check({ name: 'booking_sending_municipality_format', expression: `sending_municipality ~ '^[0-9]{4}$'` })
export class Booking {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => HousingUnit, { deleteRule: 'restrict' })
  unit: Rel<HousingUnit>;

  @Property({ type: 'smallint' })
  places: number;

  @Property({ type: 'date' })
  startsOn: string;

  @Property({ type: 'date' })
  endsOn: string;

  @Enum({ items: () => BookingStatus, nativeEnumName: 'booking_status' })
  status: BookingStatus;

  /** The regional placement the booking serves (null for bookings made locally). */
  @Property({ type: 'uuid', nullable: true })
  placementId: string | null = null;

  @Property({ length: 4, nullable: true })
  sendingMunicipality: string | null = null;

  /** When a HELD booking stops occupying its places; null: never (holds made locally). */
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(unit: Rel<HousingUnit>, places: number, startsOn: string, endsOn: string, status: BookingStatus) {
    this.unit = unit;
    this.places = places;
    this.startsOn = startsOn;
    this.endsOn = endsOn;
    this.status = status;
  }
}
