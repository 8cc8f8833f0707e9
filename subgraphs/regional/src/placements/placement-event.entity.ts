import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { PlacementStatus } from './placement.enums';

/** One step of a placement's history: who moved it from what to what, and why. */
@Entity({ tableName: 'placement_event' })
@Index({ name: 'placement_event_placement_index', properties: ['placementId'] })
export class PlacementEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  placementId: string;

  @Enum({ items: () => PlacementStatus, nativeEnumName: 'placement_status', nullable: true })
  fromStatus: PlacementStatus | null;

  @Enum({ items: () => PlacementStatus, nativeEnumName: 'placement_status' })
  toStatus: PlacementStatus;

  @Property({ length: 200 })
  actorSub: string;

  @Property({ length: 300, nullable: true })
  note: string | null;

  /** The client's key for this step: replaying it finds this event and changes nothing. */
  @Property({ length: 200, nullable: true })
  @Unique({ name: 'placement_event_idempotency_key_unique' })
  idempotencyKey: string | null;

  @Property({ type: 'timestamptz' })
  at: Date = new Date();

  constructor(
    placementId: string,
    fromStatus: PlacementStatus | null,
    toStatus: PlacementStatus,
    actorSub: string,
    note: string | null,
    idempotencyKey: string | null,
  ) {
    this.placementId = placementId;
    this.fromStatus = fromStatus;
    this.toStatus = toStatus;
    this.actorSub = actorSub;
    this.note = note;
    this.idempotencyKey = idempotencyKey;
  }
}
