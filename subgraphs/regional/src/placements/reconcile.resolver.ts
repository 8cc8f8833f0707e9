import { Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { reconcilePlacements } from './reconciler';

@ObjectType('ReconcileReport', { description: 'What one reconciliation found and repaired' })
export class ReconcileReportType {
  @Field(() => Int, { description: 'Offers whose hold lapsed: released, request open again' })
  expiredOffers!: number;

  @Field(() => Int, { description: 'Offers stuck half way: failed, what they held released' })
  failedPendingOffers!: number;

  @Field(() => Int, { description: 'Steps left pending when a municipality did not answer (or made at one municipality only), finished' })
  stepsFinished!: number;

  @Field(() => Int, { description: 'Holds or bookings without a live placement, released' })
  orphanHoldsReleased!: number;

  @Field(() => Int, { description: 'Requests marked offered without a live offer, opened again' })
  requestsReopened!: number;

  @Field(() => Int, { description: 'Placements whose sending side was brought up to date (accepted, moved in or ended there too)' })
  acceptancesCompleted!: number;

  @Field(() => [String], { description: 'Municipalities that could not be reached this time (checked again next run)' })
  unreachable!: string[];
}

@Resolver()
export class ReconcileResolver {
  @Mutation(() => ReconcileReportType, { description: 'Finds and repairs mismatches between the region and the shards (also runs periodically)' })
  async reconcilePlacements(@Ctx() { em, shards, saga, logger }: RegionalContext): Promise<ReconcileReportType> {
    return reconcilePlacements(em, shards, saga, logger);
  }
}
