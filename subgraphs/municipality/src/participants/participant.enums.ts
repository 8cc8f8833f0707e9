import { registerEnumType } from 'type-graphql';

export enum ParticipantPhase {
  INTAKE = 'INTAKE',
  ASSESSMENT = 'ASSESSMENT',
  ACTIVE = 'ACTIVE',
  PLACED = 'PLACED',
  COMPLETED = 'COMPLETED',
  DISCONTINUED = 'DISCONTINUED',
}

export enum Gender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  OTHER = 'OTHER',
}

export enum ReferralSource {
  POLICE = 'POLICE',
  SOCIAL_SERVICES = 'SOCIAL_SERVICES',
  PRISON_AND_PROBATION = 'PRISON_AND_PROBATION',
  SELF = 'SELF',
  OTHER = 'OTHER',
}

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

export enum ExitOutcome {
  COMPLETED = 'COMPLETED',
  DISCONTINUED = 'DISCONTINUED',
  RELAPSE = 'RELAPSE',
}

/** Phases in which a participant has left the programme and must carry an exit date and outcome. */
export const EXITED_PHASES: ReadonlySet<ParticipantPhase> = new Set([ParticipantPhase.COMPLETED, ParticipantPhase.DISCONTINUED]);

registerEnumType(ParticipantPhase, { name: 'ParticipantPhase', description: 'Where a participant is in the exit programme' });
registerEnumType(Gender, { name: 'Gender' });
registerEnumType(ReferralSource, { name: 'ReferralSource', description: 'Who referred the participant to the programme' });
registerEnumType(RiskLevel, { name: 'RiskLevel', description: 'Assessed threat and risk level' });
registerEnumType(ExitOutcome, { name: 'ExitOutcome', description: 'How a participant left the programme' });
