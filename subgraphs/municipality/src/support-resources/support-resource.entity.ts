import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { SupportResourceKind } from './support-resource.enums';

/** Mentor or programme slots the municipality can offer participants. */
@Entity({ tableName: 'support_resource' })
@Check({ name: 'support_resource_capacity_not_negative', expression: 'capacity >= 0' })
export class SupportResource {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => SupportResourceKind, nativeEnumName: 'support_resource_kind' })
  kind: SupportResourceKind;

  @Property({ length: 200 })
  name: string;

  /** Number of participants it can support at once. */
  @Property({ type: 'smallint' })
  capacity: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(kind: SupportResourceKind, name: string, capacity: number) {
    this.kind = kind;
    this.name = name;
    this.capacity = capacity;
  }
}
