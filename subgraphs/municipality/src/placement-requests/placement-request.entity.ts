import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Participant } from '../participants/participant.entity';
import { PlacementRequestStatus, Urgency } from './placement-request.enums';

/** An outgoing request to place one of this municipality's participants in housing elsewhere. */
@Entity({ tableName: 'placement_request' })
@Index({ name: 'placement_request_participant_index', properties: ['participant'] })
@Check({ name: 'placement_request_duration_positive', expression: 'expected_duration_days > 0' })
export class PlacementRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Participant, { deleteRule: 'restrict' })
  participant: Rel<Participant>;

  @Enum({ items: () => PlacementRequestStatus, nativeEnumName: 'placement_request_status' })
  status: PlacementRequestStatus = PlacementRequestStatus.DRAFT;

  @Enum({ items: () => Urgency, nativeEnumName: 'urgency' })
  urgency: Urgency;

  @Property({ type: 'date' })
  earliestStart: string;

  @Property({ type: 'smallint' })
  expectedDurationDays: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(participant: Rel<Participant>, urgency: Urgency, earliestStart: string, expectedDurationDays: number) {
    this.participant = participant;
    this.urgency = urgency;
    this.earliestStart = earliestStart;
    this.expectedDurationDays = expectedDurationDays;
  }
}
