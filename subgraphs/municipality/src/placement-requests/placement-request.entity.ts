import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { HousingUnitKind } from '../housing/housing-unit.enums';
import { Participant } from '../participants/participant.entity';
import { PlacementRequestStatus, SupportNeed, Urgency } from './placement-request.enums';

const sqlArray = (values: readonly string[]) => `'{${values.join(',')}}'::text[]`;

export interface NewPlacementRequest {
  urgency: Urgency;
  earliestStart: string;
  expectedDurationDays: number;
  allowedKinds?: HousingUnitKind[];
  needsWheelchairAccess?: boolean;
  supportNeeds?: SupportNeed[];
}

/** An outgoing request to place one of this municipality's participants in housing elsewhere. */
@Entity({ tableName: 'placement_request' })
@Index({ name: 'placement_request_participant_index', properties: ['participant'] })
@Index({
  name: 'placement_request_one_live_per_participant',
  expression: `create unique index "placement_request_one_live_per_participant" on "placement_request" ("participant_id") where status in ('OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE')`,
})
@Check({ name: 'placement_request_duration_positive', expression: 'expected_duration_days > 0' })
@Check({
  name: 'placement_request_allowed_kinds_valid',
  expression: `cardinality(allowed_kinds) > 0 and allowed_kinds <@ ${sqlArray(Object.values(HousingUnitKind))}`,
})
@Check({ name: 'placement_request_support_needs_valid', expression: `support_needs <@ ${sqlArray(Object.values(SupportNeed))}` })
export class PlacementRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Participant, { deleteRule: 'restrict' })
  participant: Rel<Participant>;

  // The default is explicit: MikroORM cannot infer it, the constructor needs arguments.
  @Enum({ items: () => PlacementRequestStatus, nativeEnumName: 'placement_request_status', default: PlacementRequestStatus.DRAFT })
  status: PlacementRequestStatus = PlacementRequestStatus.DRAFT;

  @Enum({ items: () => Urgency, nativeEnumName: 'urgency' })
  urgency: Urgency;

  @Property({ type: 'date' })
  earliestStart: string;

  @Property({ type: 'smallint' })
  expectedDurationDays: number;

  @Property({ default: false })
  needsWheelchairAccess: boolean = false;

  @Property({ type: 'text[]', default: '{}' })
  supportNeeds: SupportNeed[] = [];

  /** Kinds of unit the participant may be placed in; never empty. */
  @Property({ type: 'text[]' })
  allowedKinds: HousingUnitKind[];

  /** The regional placement this request is offered in (set when OFFERED, cleared when reopened). */
  @Property({ type: 'uuid', nullable: true })
  placementId: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(participant: Rel<Participant>, data: NewPlacementRequest) {
    this.participant = participant;
    this.urgency = data.urgency;
    this.earliestStart = data.earliestStart;
    this.expectedDurationDays = data.expectedDurationDays;
    this.allowedKinds = data.allowedKinds ?? Object.values(HousingUnitKind);
    this.needsWheelchairAccess = data.needsWheelchairAccess ?? false;
    this.supportNeeds = data.supportNeeds ?? [];
  }
}
