import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { MunicipalityRef } from '../region/region.type';
import { PlacementStatus } from './placement.enums';

/**
 * A request of its sending municipality; its fields come from that shard, except the placements
 * made for it (PlacementRequestPlacementsResolver), which the region holds.
 */
@Directive('@key(fields: "municipalityCode id")')
@ObjectType('PlacementRequest')
export class PlacementRequestRef {
  @Field(() => ID)
  municipalityCode!: string;

  @Field(() => ID)
  id!: string;
}

/** A reference to a unit in the receiving municipality; its fields come from that shard. */
@Directive('@key(fields: "municipalityCode id", resolvable: false)')
@ObjectType('HousingUnit')
export class HousingUnitRef {
  @Field(() => ID)
  municipalityCode!: string;

  @Field(() => ID)
  id!: string;
}

/** A reference to the booking that holds the places; its fields come from the receiving shard. */
@Directive('@key(fields: "municipalityCode id", resolvable: false)')
@ObjectType('Booking')
export class BookingRef {
  @Field(() => ID)
  municipalityCode!: string;

  @Field(() => ID)
  id!: string;
}

@ObjectType('PlacementEvent', { description: "One step in a placement's history" })
export class PlacementEventType {
  @Field(() => DateTimeResolver)
  at!: Date;

  @Field(() => PlacementStatus, { nullable: true })
  fromStatus!: PlacementStatus | null;

  @Field(() => PlacementStatus)
  toStatus!: PlacementStatus;

  @Field({ description: 'Who moved it: a user id, or "reconciler"' })
  actorSub!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Placement', {
  description:
    "A participant's move into a unit of another municipality. The region keeps references and history only; the request side comes from the sending shard, the unit and booking from the receiving one.",
})
export class PlacementType {
  @Field(() => ID)
  id!: string;

  @Field(() => PlacementStatus)
  status!: PlacementStatus;

  @Field(() => PlacementRequestRef)
  request!: PlacementRequestRef;

  @Field(() => HousingUnitRef)
  unit!: HousingUnitRef;

  @Field(() => BookingRef, { nullable: true, description: 'Null until the places are held' })
  booking!: BookingRef | null;

  @Field(() => MunicipalityRef)
  sendingMunicipality!: MunicipalityRef;

  @Field(() => MunicipalityRef)
  receivingMunicipality!: MunicipalityRef;

  @Field(() => Int)
  places!: number;

  @Field(() => LocalDateResolver)
  startsOn!: string;

  @Field(() => LocalDateResolver, { description: 'Day of moving out (exclusive)' })
  endsOn!: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When an unaccepted offer lapses' })
  holdExpiresAt!: Date | null;

  @Field(() => PlacementStatus, {
    nullable: true,
    description:
      'A step asked for but not yet made at both municipalities (one did not answer): the status it moves to. The reconciler finishes it; so does a retry with the same idempotencyKey.',
  })
  pendingStep!: PlacementStatus | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => [PlacementEventType])
  history!: PlacementEventType[];
}
