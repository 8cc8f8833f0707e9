import { ArrayMaxSize, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../common/scalars';
import { IsMunicipalityCode, IsNotBlank, IsSensibleDate } from '../common/validators';
import { ExitOutcome, Gender, ParticipantPhase, ReferralSource, RiskLevel } from './participant.enums';
import { IsPersonalIdentityNumber } from './personal-identity-number';

@InputType({ description: 'A new participant, registered at intake' })
export class RegisterParticipantInput {
  @Field()
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  firstName!: string;

  @Field()
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  lastName!: string;

  @Field({ description: 'YYYYMMDDNNNN or YYYYMMDD-NNNN' })
  @IsPersonalIdentityNumber()
  personalIdentityNumber!: string;

  @Field({ defaultValue: false })
  protectedIdentity!: boolean;

  @Field(() => LocalDate, { description: 'From 1900-01-01 to today; must match the personnummer' })
  @IsSensibleDate('birthDate')
  birthDate!: string;

  @Field(() => Gender)
  gender!: Gender;

  @Field(() => Int, { defaultValue: 1 })
  @Min(1, { message: 'must be at least 1 (the participant)' })
  @Max(20, { message: 'must be at most 20' })
  householdAdults!: number;

  @Field(() => Int, { defaultValue: 0 })
  @Min(0, { message: 'cannot be negative' })
  @Max(20, { message: 'must be at most 20' })
  householdChildren!: number;

  @Field(() => ReferralSource)
  referralSource!: ReferralSource;

  @Field(() => RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(290, { message: 'can list at most 290 municipalities' })
  @IsMunicipalityCode({ each: true })
  excludedMunicipalities!: string[];

  @Field(() => LocalDate, { description: 'Not before the birth date; from 2000-01-01 to three years ahead' })
  @IsSensibleDate()
  intakeDate!: string;

  @Field({ description: 'User id of the responsible caseworker' })
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  responsibleCaseworker!: string;
}

@InputType({ description: 'Changes to a participant; fields left out stay as they are' })
export class UpdateParticipantInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  firstName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  lastName?: string;

  @Field({ nullable: true })
  protectedIdentity?: boolean;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: 'must be at least 1 (the participant)' })
  @Max(20, { message: 'must be at most 20' })
  householdAdults?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'cannot be negative' })
  @Max(20, { message: 'must be at most 20' })
  householdChildren?: number;

  @Field(() => ParticipantPhase, { nullable: true })
  phase?: ParticipantPhase;

  @Field(() => RiskLevel, { nullable: true })
  riskLevel?: RiskLevel;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(290, { message: 'can list at most 290 municipalities' })
  @IsMunicipalityCode({ each: true })
  excludedMunicipalities?: string[];

  @Field(() => LocalDate, { nullable: true, description: 'Required when the phase becomes COMPLETED or DISCONTINUED; not before the intake date' })
  @IsSensibleDate()
  exitDate?: string;

  @Field(() => ExitOutcome, { nullable: true, description: 'Required when the phase becomes COMPLETED or DISCONTINUED' })
  exitOutcome?: ExitOutcome;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  responsibleCaseworker?: string;
}
