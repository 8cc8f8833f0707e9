import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, LocalDate } from '../common/scalars';
import { ExitOutcome, Gender, ParticipantPhase, ReferralSource, RiskLevel } from './participant.enums';

/** One phase a participant entered, and when (recorded by the database, participant_phase_change). */
@ObjectType('PhaseChange', { description: 'A phase the participant entered, and when' })
export class PhaseChangeType {
  @Field(() => ParticipantPhase)
  phase!: ParticipantPhase;

  @Field(() => DateTime)
  changedAt!: Date;
}

/**
 * Personal data. Deliberately not an entity (no `@key`): no other subgraph and
 * no other municipality can fetch it; it is reachable only from this
 * municipality's own root fields.
 */
@ObjectType('Participant', { description: 'A person in the exit programme (personal data; own municipality only)' })
export class ParticipantType {
  @Field(() => ID)
  id!: string;

  @Field()
  firstName!: string;

  @Field()
  lastName!: string;

  @Field({ description: 'Personnummer, 12 digits YYYYMMDDNNNN' })
  personalIdentityNumber!: string;

  @Field({ description: 'Skyddade personuppgifter' })
  protectedIdentity!: boolean;

  @Field(() => LocalDate)
  birthDate!: string;

  @Field(() => Gender)
  gender!: Gender;

  @Field(() => Int)
  householdAdults!: number;

  @Field(() => Int)
  householdChildren!: number;

  @Field(() => ParticipantPhase)
  phase!: ParticipantPhase;

  @Field(() => ReferralSource)
  referralSource!: ReferralSource;

  @Field(() => RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => [ID], { description: 'Kommunkoder of threat areas the participant must not be placed in' })
  excludedMunicipalities!: string[];

  @Field(() => LocalDate)
  intakeDate!: string;

  @Field(() => LocalDate, { nullable: true })
  exitDate!: string | null;

  @Field(() => ExitOutcome, { nullable: true })
  exitOutcome!: ExitOutcome | null;

  @Field({ description: 'User id of the responsible caseworker (handläggare)' })
  responsibleCaseworker!: string;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}
