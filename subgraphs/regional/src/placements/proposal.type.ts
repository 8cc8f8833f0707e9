import { Field, Float, ObjectType } from 'type-graphql';
import { HousingUnitRef, PlacementRequestRef } from './placement.type';

@ObjectType('ScoreParts', { description: 'The parts of a match score; they sum to the score' })
export class ScorePartsType {
  @Field(() => Float)
  urgency!: number;

  @Field(() => Float)
  waiting!: number;

  @Field(() => Float)
  fit!: number;

  @Field(() => Float, { description: 'Distance from the nearest excluded (threat) municipality' })
  distance!: number;
}

@ObjectType('RankedUnit', { description: 'One unit as an option for one request, with why it is allowed and how it scores' })
export class RankedUnitType {
  @Field(() => HousingUnitRef)
  unit!: HousingUnitRef;

  @Field(() => Float)
  score!: number;

  @Field(() => ScorePartsType)
  scoreParts!: ScorePartsType;

  @Field(() => [String], { description: 'Every hard constraint the pair meets, in words' })
  constraintsMet!: string[];

  @Field(() => [String], { description: 'How each score part came about, in words' })
  scoreNotes!: string[];
}

@ObjectType('PlacementProposal', { description: 'One request placed in one unit by the batch optimisation' })
export class PlacementProposalType extends RankedUnitType {
  @Field(() => PlacementRequestRef)
  request!: PlacementRequestRef;
}

@ObjectType('UnmatchedPlacementRequest')
export class UnmatchedRequestType {
  @Field(() => PlacementRequestRef)
  request!: PlacementRequestRef;

  @Field({ description: 'NO_FEASIBLE_UNIT or CAPACITY_TAKEN' })
  reason!: string;

  @Field()
  explanation!: string;
}

@ObjectType('PlacementProposals', { description: 'The optimal assignment of every open request to the free places of the region' })
export class PlacementProposalsType {
  @Field(() => [PlacementProposalType])
  proposals!: PlacementProposalType[];

  @Field(() => [UnmatchedRequestType])
  unmatched!: UnmatchedRequestType[];

  @Field(() => Float, { description: "Sum of the proposals' scores: what the optimisation maximises" })
  objective!: number;

  @Field({ description: 'True when the objective is proven to be the maximum' })
  optimal!: boolean;

  @Field(() => Float)
  upperBound!: number;

  @Field({ description: "The stays of the open requests cover the days from this one… (each request's free places are counted over its own stay)" })
  horizonFrom!: string;

  @Field({ description: '…up to this one (exclusive)' })
  horizonTo!: string;

  @Field(() => [String], { description: 'Municipalities whose requests and units were included' })
  municipalitiesCovered!: string[];

  @Field(() => [String], { description: 'Municipalities that did not answer and were left out' })
  unreachable!: string[];
}
