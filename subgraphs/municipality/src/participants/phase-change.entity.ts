import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Participant } from './participant.entity';
import { ParticipantPhase } from './participant.enums';

/**
 * One phase a participant entered, and when. Written by the database (the trigger of migration
 * PhaseHistory) whatever changes the phase; the service only reads it. Mapped here so the schema
 * the entities describe is the schema the migrations make.
 */
@Entity({ tableName: 'participant_phase_change' })
@Index({ name: 'participant_phase_change_participant', properties: ['participant', 'id'] })
export class ParticipantPhaseChange {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Participant, { deleteRule: 'cascade' })
  participant!: Participant;

  @Enum({ items: () => ParticipantPhase, nativeEnumName: 'participant_phase' })
  phase!: ParticipantPhase;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  changedAt!: Date;
}
