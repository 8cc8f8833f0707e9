import { Check, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { PlacementStatus } from './placement.enums';

/** What a step in flight was asked to do, kept so that it can be finished by whoever comes next. */
export interface PendingStep {
  /** The status the step moves the placement to. */
  to: PlacementStatus;
  /** The caller's idempotency key: a retry with it finishes the step. */
  key: string;
  actorSub: string;
  note: string | null;
  /** endPlacement's day of moving out. */
  endsOn?: string;
  /** When it was asked for (ISO 8601). */
  since: string;
}

export interface NewPlacement {
  sendingMunicipality: string;
  requestId: string;
  receivingMunicipality: string;
  unitId: string;
  places: number;
  startsOn: string;
  endsOn: string;
  createdBy: string;
  idempotencyKey: string;
}

/**
 * One placement, by pseudonymous references only: which request of which
 * municipality, which unit of which other municipality. Never a name, a
 * personnummer or an address — those stay in the shards.
 */
@Entity({ tableName: 'placement' })
@Index({ name: 'placement_status_index', properties: ['status'] })
@Index({ name: 'placement_request_index', properties: ['sendingMunicipality', 'requestId'] })
@Check({ name: 'placement_not_home', expression: 'sending_municipality <> receiving_municipality' })
export class Placement {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => PlacementStatus, nativeEnumName: 'placement_status' })
  status: PlacementStatus = PlacementStatus.PENDING_OFFER;

  @Property({ length: 4 })
  sendingMunicipality: string;

  @Property({ type: 'uuid' })
  requestId: string;

  @Property({ length: 4 })
  receivingMunicipality: string;

  @Property({ type: 'uuid' })
  unitId: string;

  @Property({ type: 'uuid', nullable: true })
  bookingId: string | null = null;

  @Property({ type: 'smallint' })
  places: number;

  @Property({ type: 'date' })
  startsOn: string;

  @Property({ type: 'date' })
  endsOn: string;

  @Property({ type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null = null;

  /**
   * A step asked for and not yet finished at both municipalities (see PlacementSaga): written
   * before the first shard is called, cleared with the move to its status.
   */
  @Property({ type: 'jsonb', nullable: true })
  pendingStep: PendingStep | null = null;

  /** Two writers of one placement at once: the later flush is refused (OptimisticLockError). */
  @Property({ version: true })
  version!: number;

  /** The coordinator's `sub` who offered it. */
  @Property({ length: 200 })
  createdBy: string;

  /** The client's key for the offer: a replayed offer finds this placement instead of making another. */
  @Property({ length: 200 })
  @Unique({ name: 'placement_idempotency_key_unique' })
  idempotencyKey: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(data: NewPlacement) {
    this.sendingMunicipality = data.sendingMunicipality;
    this.requestId = data.requestId;
    this.receivingMunicipality = data.receivingMunicipality;
    this.unitId = data.unitId;
    this.places = data.places;
    this.startsOn = data.startsOn;
    this.endsOn = data.endsOn;
    this.createdBy = data.createdBy;
    this.idempotencyKey = data.idempotencyKey;
  }
}
