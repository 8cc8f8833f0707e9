import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, LocalDate } from '../common/scalars';
import { HousingUnitKind } from '../housing/housing-unit.enums';
import { PlacementRequestStatus, SupportNeed, Urgency } from './placement-request.enums';

/** What crosses the border about a placement request: no link to the participant. */
@Directive('@key(fields: "municipalityCode id")')
@ObjectType('PlacementRequest', { description: 'A request to place a participant in housing, as seen outside its municipality' })
export class PlacementRequestType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Kommunkod of the sending municipality' })
  municipalityCode!: string;

  @Field({ description: 'Pseudonymous case reference: unique per request, meaningless outside the sending municipality' })
  caseReference!: string;

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

  @Field({ description: 'Coarse age band of the participant, e.g. 21_25' })
  ageBand!: string;

  @Field(() => Int, { description: 'People to house: adults and children' })
  householdSize!: number;

  @Field(() => Int)
  children!: number;

  @Field(() => [ID], { description: 'Kommunkoder the participant must not be placed in; always includes the home municipality' })
  excludedMunicipalities!: string[];

  @Field()
  needsWheelchairAccess!: boolean;

  @Field(() => [SupportNeed])
  supportNeeds!: SupportNeed[];

  @Field(() => [HousingUnitKind], { description: 'Kinds of unit the participant may be placed in; never empty' })
  allowedKinds!: HousingUnitKind[];

  @Field(() => ID, { nullable: true, description: 'The regional placement the request is offered in; null unless OFFERED, ACCEPTED, ACTIVE or after' })
  placementId!: string | null;

  @Field(() => Int, { description: 'Whole days since the request was made (dates in Sweden)' })
  waitingDays!: number;
}
