import { IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsNotBlank } from '../common/validators';
import { HousingUnitKind, HousingUnitStatus } from './housing-unit.enums';

@InputType()
export class RegisterHousingUnitInput {
  @Field(() => HousingUnitKind)
  kind!: HousingUnitKind;

  @Field(() => Int)
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  places!: number;

  @Field({ description: 'Coarse location (kommundel)' })
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  district!: string;

  @Field()
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  streetAddress!: string;

  @Field({ defaultValue: false })
  wheelchairAccessible!: boolean;

  @Field({ defaultValue: false })
  suitableForChildren!: boolean;
}

@InputType({ description: 'Changes to a housing unit; fields left out stay as they are' })
export class UpdateHousingUnitInput {
  @Field(() => HousingUnitKind, { nullable: true })
  kind?: HousingUnitKind;

  @Field(() => Int, { nullable: true, description: 'Cannot go below the places already booked from today on' })
  @IsOptional()
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  places?: number;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1–100 characters' })
  @IsNotBlank()
  district?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  streetAddress?: string;

  @Field({ nullable: true })
  wheelchairAccessible?: boolean;

  @Field({ nullable: true })
  suitableForChildren?: boolean;

  @Field(() => HousingUnitStatus, { nullable: true, description: 'RETIRED is refused while bookings remain from today on' })
  status?: HousingUnitStatus;
}

@InputType({ description: 'Narrows a list of housing units; every given condition must hold' })
export class HousingUnitFilter {
  @Field(() => [HousingUnitKind], { nullable: true })
  kinds?: HousingUnitKind[];

  @Field(() => [HousingUnitStatus], { nullable: true, description: 'Default: AVAILABLE and OUT_OF_SERVICE (not RETIRED)' })
  statuses?: HousingUnitStatus[];

  @Field({ nullable: true })
  wheelchairAccessible?: boolean;

  @Field({ nullable: true })
  suitableForChildren?: boolean;

  @Field(() => Int, { nullable: true, description: 'At least this many places in total' })
  @IsOptional()
  @Min(1, { message: 'must be at least 1' })
  minPlaces?: number;
}
