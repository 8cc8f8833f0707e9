import type { ExitOutcome, Gender, HousingUnitKind, ParticipantPhase, ReferralSource, RiskLevel, SupportNeed, Urgency } from '../gql/graphql';

/** The API's enums in the order the forms offer them. */
export const PHASES: ParticipantPhase[] = ['INTAKE', 'ASSESSMENT', 'ACTIVE', 'PLACED', 'COMPLETED', 'DISCONTINUED'];
export const RISK_LEVELS: RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH'];
export const GENDERS: Gender[] = ['FEMALE', 'MALE', 'OTHER'];
export const REFERRAL_SOURCES: ReferralSource[] = ['POLICE', 'SOCIAL_SERVICES', 'PRISON_AND_PROBATION', 'SELF', 'OTHER'];
export const EXIT_OUTCOMES: ExitOutcome[] = ['COMPLETED', 'DISCONTINUED', 'RELAPSE'];
export const URGENCIES: Urgency[] = ['IMMEDIATE', 'HIGH', 'NORMAL'];
export const UNIT_KINDS: HousingUnitKind[] = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'];
export const SUPPORT_NEEDS: SupportNeed[] = ['MENTOR', 'COUNSELLING', 'ADDICTION_CARE', 'WORK_OR_STUDIES', 'CHILDCARE'];

/** Phases in which the participant has left the programme: an exit date and outcome go with them. */
export const EXIT_PHASES: ParticipantPhase[] = ['COMPLETED', 'DISCONTINUED'];
