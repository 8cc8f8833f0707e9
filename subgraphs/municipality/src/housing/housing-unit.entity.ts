import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { HousingUnitKind, HousingUnitStatus } from './housing-unit.enums';

export interface NewHousingUnit {
  kind: HousingUnitKind;
  places: number;
  district: string;
  streetAddress: string;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
}

/** A flat or place the municipality offers to the programme. */
@Entity({ tableName: 'housing_unit' })
@Check({ name: 'housing_unit_places_positive', expression: 'places > 0' })
export class HousingUnit {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => HousingUnitKind, nativeEnumName: 'housing_unit_kind' })
  kind: HousingUnitKind;

  /** How many people the unit houses at once. */
  @Property({ type: 'smallint' })
  places: number;

  /** Coarse location (kommundel), safe to share across the region. */
  @Property({ length: 100 })
  district: string;

  /** Exact address: for the owning municipality only. */
  @Property({ length: 200 })
  streetAddress: string;

  @Property()
  wheelchairAccessible: boolean;

  @Property()
  suitableForChildren: boolean;

  @Enum({ items: () => HousingUnitStatus, nativeEnumName: 'housing_unit_status' })
  status: HousingUnitStatus = HousingUnitStatus.AVAILABLE;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(data: NewHousingUnit) {
    this.kind = data.kind;
    this.places = data.places;
    this.district = data.district;
    this.streetAddress = data.streetAddress;
    this.wheelchairAccessible = data.wheelchairAccessible;
    this.suitableForChildren = data.suitableForChildren;
  }
}
