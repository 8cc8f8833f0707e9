import { Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../common/scalars';
import { IsMunicipalityCode } from '../common/validators';

@InputType({ description: 'Places to hold in a unit for a regional placement, until the hold is confirmed, released or expires' })
export class HoldPlacesInput {
  @Field(() => ID)
  unitId!: string;

  @Field(() => Int)
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  places!: number;

  @Field(() => LocalDate, { description: 'First night' })
  startsOn!: string;

  @Field(() => LocalDate, { description: 'Day of moving out (exclusive)' })
  endsOn!: string;

  @Field(() => ID, { description: 'The regional placement the hold is for (a UUID)' })
  placementId!: string;

  @Field(() => ID, { description: 'Kommunkod of the municipality whose participant would move in' })
  @IsMunicipalityCode({ message: 'must be a four-digit kommunkod such as 0126' })
  sendingMunicipality!: string;

  @Field(() => Int, { defaultValue: 60, description: 'Minutes until the hold lapses and its places are free again: 1–10080 (a week)' })
  @Min(1, { message: 'must be at least 1' })
  @Max(10_080, { message: 'must be at most 10080 (a week)' })
  holdMinutes!: number;
}
