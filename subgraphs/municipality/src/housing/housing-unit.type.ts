import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../common/scalars';
import { HousingUnitKind, HousingUnitStatus } from './housing-unit.enums';

@Directive('@key(fields: "municipalityCode id")')
@ObjectType('HousingUnit', { description: 'A flat or place a municipality offers to the exit programme' })
export class HousingUnitType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Kommunkod of the owning municipality' })
  municipalityCode!: string;

  @Field(() => HousingUnitKind)
  kind!: HousingUnitKind;

  @Field(() => Int, { description: 'How many people the unit houses at once' })
  places!: number;

  @Field({ description: 'Coarse location (kommundel)' })
  district!: string;

  // Nullable although every unit has one: it is refused unit by unit (see access-policy.ts), and a
  // refused non-null field would take its unit, and a list of units the whole list, with it.
  @Field(() => String, {
    nullable: true,
    description:
      "Exact address: for the owning municipality's housing managers, and for caseworkers of a municipality with a confirmed booking in the unit. Every read is audited. Null, with a FORBIDDEN error naming it, where it is refused.",
  })
  streetAddress!: string;

  @Field()
  wheelchairAccessible!: boolean;

  @Field()
  suitableForChildren!: boolean;

  @Field(() => HousingUnitStatus)
  status!: HousingUnitStatus;
}

@ObjectType('FreePlaceRun', { description: 'Days in a row with the same number of free places in a unit' })
export class FreePlaceRunType {
  @Field(() => LocalDate, { description: 'First day of the run' })
  from!: string;

  @Field(() => LocalDate, { description: 'First day after the run' })
  to!: string;

  @Field(() => Int, { description: 'Places free on each day of the run' })
  freePlaces!: number;
}
