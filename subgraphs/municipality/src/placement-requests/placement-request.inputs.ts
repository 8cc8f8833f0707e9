import { ArrayMaxSize, ArrayNotEmpty, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDate } from '../common/scalars';
import { IsSensibleDate } from '../common/validators';
import { HousingUnitKind } from '../housing/housing-unit.enums';
import { SupportNeed, Urgency } from './placement-request.enums';

@InputType({ description: 'The coarse needs profile of a new placement request; nothing in it identifies the participant' })
export class CreatePlacementRequestInput {
  @Field(() => Urgency)
  urgency!: Urgency;

  @Field(() => LocalDate, { description: 'First day the participant could move: from 2000-01-01 to three years ahead' })
  @IsSensibleDate()
  earliestStart!: string;

  @Field(() => Int, { description: 'Expected length of the stay, 1–730 days' })
  @Min(1, { message: 'must be at least 1' })
  @Max(730, { message: 'must be at most 730' })
  expectedDurationDays!: number;

  @Field(() => [HousingUnitKind], { description: 'Kinds of unit the participant may be placed in; at least one' })
  @ArrayNotEmpty({ message: 'must name at least one kind of unit' })
  @ArrayMaxSize(Object.values(HousingUnitKind).length * 4, { message: 'lists too many kinds' })
  allowedKinds!: HousingUnitKind[];

  @Field({ defaultValue: false })
  needsWheelchairAccess!: boolean;

  @Field(() => [SupportNeed], { nullable: true, defaultValue: [] })
  @ArrayMaxSize(Object.values(SupportNeed).length * 4, { message: 'lists too many support needs' })
  supportNeeds?: SupportNeed[] | null;
}
