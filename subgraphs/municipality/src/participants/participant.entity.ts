import { Check, Collection, Entity, Enum, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { PlacementRequest } from '../placement-requests/placement-request.entity';
import { ExitOutcome, Gender, ParticipantPhase, ReferralSource, RiskLevel } from './participant.enums';

export interface NewParticipant {
  firstName: string;
  lastName: string;
  personalIdentityNumber: string;
  protectedIdentity: boolean;
  birthDate: string;
  gender: Gender;
  householdAdults: number;
  householdChildren: number;
  referralSource: ReferralSource;
  riskLevel: RiskLevel;
  excludedMunicipalities: string[];
  intakeDate: string;
  responsibleCaseworker: string;
}

/**
 * A person in the exit programme: personal data under social-services secrecy.
 * Lives only in its own municipality's database and is never a federation entity.
 */
@Entity({ tableName: 'participant' })
@Check({ name: 'participant_household_valid', expression: 'household_adults >= 1 and household_children >= 0' })
@Check({ name: 'participant_personal_identity_number_format', expression: "personal_identity_number ~ '^[0-9]{12}$'" })
@Check({ name: 'participant_exit_complete', expression: '(exit_date is null) = (exit_outcome is null)' })
export class Participant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 100 })
  firstName: string;

  @Property({ length: 100 })
  lastName: string;

  /** Twelve digits, YYYYMMDDNNNN. */
  @Property({ length: 12 })
  @Unique({ name: 'participant_personal_identity_number_unique' })
  personalIdentityNumber: string;

  /** Skyddade personuppgifter: the identity itself is protected. */
  @Property()
  protectedIdentity: boolean;

  @Property({ type: 'date' })
  birthDate: string;

  @Enum({ items: () => Gender, nativeEnumName: 'gender' })
  gender: Gender;

  @Property({ type: 'smallint' })
  householdAdults: number;

  @Property({ type: 'smallint' })
  householdChildren: number;

  @Enum({ items: () => ParticipantPhase, nativeEnumName: 'participant_phase' })
  phase: ParticipantPhase = ParticipantPhase.INTAKE;

  @Enum({ items: () => ReferralSource, nativeEnumName: 'referral_source' })
  referralSource: ReferralSource;

  @Enum({ items: () => RiskLevel, nativeEnumName: 'risk_level' })
  riskLevel: RiskLevel;

  /** Kommunkoder of the threat areas the participant must stay away from. */
  @Property({ type: 'text[]' })
  excludedMunicipalities: string[];

  @Property({ type: 'date' })
  intakeDate: string;

  @Property({ type: 'date', nullable: true })
  exitDate: string | null = null;

  @Enum({ items: () => ExitOutcome, nativeEnumName: 'exit_outcome', nullable: true })
  exitOutcome: ExitOutcome | null = null;

  /** The `sub` of the caseworker responsible for the case. */
  @Property({ length: 200 })
  responsibleCaseworker: string;

  @OneToMany(() => PlacementRequest, (request) => request.participant)
  placementRequests = new Collection<PlacementRequest>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(data: NewParticipant) {
    this.firstName = data.firstName;
    this.lastName = data.lastName;
    this.personalIdentityNumber = data.personalIdentityNumber;
    this.protectedIdentity = data.protectedIdentity;
    this.birthDate = data.birthDate;
    this.gender = data.gender;
    this.householdAdults = data.householdAdults;
    this.householdChildren = data.householdChildren;
    this.referralSource = data.referralSource;
    this.riskLevel = data.riskLevel;
    this.excludedMunicipalities = data.excludedMunicipalities;
    this.intakeDate = data.intakeDate;
    this.responsibleCaseworker = data.responsibleCaseworker;
  }
}
