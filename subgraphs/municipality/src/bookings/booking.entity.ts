import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { HousingUnit } from '../housing/housing-unit.entity';
import { BookingStatus } from './booking.enums';

/** Places of one housing unit over a date range. `endsOn` is exclusive (the day of moving out). */
@Entity({ tableName: 'booking' })
@Index({ name: 'booking_unit_period_index', properties: ['unit', 'startsOn', 'endsOn'] })
@Check({ name: 'booking_places_positive', expression: 'places > 0' })
@Check({ name: 'booking_period_not_empty', expression: 'ends_on > starts_on' })
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

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(unit: Rel<HousingUnit>, places: number, startsOn: string, endsOn: string, status: BookingStatus) {
    this.unit = unit;
    this.places = places;
    this.startsOn = startsOn;
    this.endsOn = endsOn;
    this.status = status;
  }
}
