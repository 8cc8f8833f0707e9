import { Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Which request to place in which unit (of another municipality)' })
export class OfferPlacementInput {
  @Field(() => ID)
  @Matches(/^\d{4}$/, { message: 'must be a four-digit kommunkod' })
  requestMunicipality!: string;

  @Field(() => ID)
  requestId!: string;

  @Field(() => ID)
  @Matches(/^\d{4}$/, { message: 'must be a four-digit kommunkod' })
  unitMunicipality!: string;

  @Field(() => ID)
  unitId!: string;
}

export const IDEMPOTENCY_KEY_ARG = {
  description: 'Your unique key for this step (e.g. a UUID). Sending the same step again with the same key changes nothing and returns the same placement.',
} as const;
