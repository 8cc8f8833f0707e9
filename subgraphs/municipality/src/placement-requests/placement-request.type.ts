import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, LocalDate } from '../common/scalars';
import { PlacementRequestStatus, Urgency } from './placement-request.enums';

/** What crosses the border about a placement request: no link to the participant. */
@Directive('@key(fields: "municipalityCode id")')
@ObjectType('PlacementRequest', { description: 'A request to place a participant in housing, as seen outside its municipality' })
export class PlacementRequestType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Kommunkod of the sending municipality' })
  municipalityCode!: string;

  @Field(() => PlacementRequestStatus)
  status!: PlacementRequestStatus;

  @Field(() => Urgency)
  urgency!: Urgency;

  @Field(() => LocalDate)
  earliestStart!: string;

  @Field(() => Int)
  expectedDurationDays!: number;

  @Field(() => DateTime)
  createdAt!: Date;
}
