import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError, isUuid, ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { PlacementStatus } from './placement.enums';
import { ShardSteps } from './shard-steps';

const MAX_REQUEST_IDS = 500;
/**
 * A placement still under way is never forgotten: a culled case has none, so one here is a mistake to look into.
 * Nor one with a step in flight (pending_step): the reconciler must first finish it at both municipalities
 * (e.g. end the receiving booking), or it would find that booking orphaned and release its places.
 */
const LIVE = [PlacementStatus.PENDING_OFFER, PlacementStatus.OFFERED, PlacementStatus.ACCEPTED, PlacementStatus.ACTIVE];

@ObjectType('CulledPlacementTraces', { description: 'What the region removed under the culled cases’ placement requests (counts only)' })
export class CulledPlacementTracesType {
  @Field(() => Int, { description: 'Placements removed (with their idempotency keys)' })
  placements!: number;

  @Field(() => Int, { description: 'Steps of their history removed (with their idempotency keys)' })
  placementEvents!: number;

  @Field(() => Int, { description: 'Notification events about them removed' })
  notificationEvents!: number;

  @Field(() => Int, { description: 'Deliveries of those events removed' })
  notificationDeliveries!: number;

  @Field(() => Int, { description: 'Bookings in the receiving municipalities that no longer name a removed placement' })
  receivingBookingsDetached!: number;

  @Field(() => Int, {
    description:
      'Placements kept: still under way, with a step in flight, or whose receiving municipality did not confirm unlinking them (asked again next time)',
  })
  livePlacementsKept!: number;
}

@Resolver()
export class ForgetCulledResolver {
  @Mutation(() => CulledPlacementTracesType, {
    description:
      "Removes what the region holds under placement requests of the caller's municipality that it has culled under its retention rules: the placements, their history, their notifications. Only the municipality's own culling job (role RETENTION_SERVICE, from its own identity provider) may ask, and only for its own requests. Repeating it changes nothing more.",
  })
  async forgetCulledPlacementRequests(
    @Arg('requestIds', () => [ID], { description: `The culled placement request ids (at most ${MAX_REQUEST_IDS})` }) requestIds: string[],
    @Ctx() { em, identity, logger, shards }: RegionalContext,
  ): Promise<CulledPlacementTracesType> {
    const municipality = identity?.municipality;
    if (!municipality) throw new ForbiddenError('only a municipality’s own culling job may ask the region to forget its placements');
    if (requestIds.length > MAX_REQUEST_IDS) throw ValidationFailedError.of('requestIds', `at most ${MAX_REQUEST_IDS} per call`);
    if (!requestIds.every(isUuid)) throw ValidationFailedError.of('requestIds', 'must be placement request ids (UUIDs)');
    const report = await forgetPlacementsOf(em, municipality, requestIds, (code, placementId) =>
      new ShardSteps(shards).forgetCulledPlacement(code, placementId).catch((error: unknown) => {
        // Which municipality kept the cull waiting (the municipality's cull only hears a count): its code and the failure's kind, no ids.
        logger.warn(
          { receivingMunicipality: code, failure: (error as { kind?: string }).kind ?? (error as Error).name },
          'receiving municipality did not confirm unlinking a culled placement: kept, asked again on the next cull',
        );
        throw error;
      }),
    );
    logger.info({ municipality, ...report }, 'culled placements forgotten');
    return report;
  }
}

/** Asks a receiving municipality to unlink a placement from its bookings; its answer. */
export type UnlinkAtReceiver = (code: string, placementId: string) => Promise<{ bookingsDetached: number; liveBookingsKept: number }>;

/**
 * Removes, in one transaction, the finished placements of `municipality`'s requests `requestIds` and
 * everything keyed by them, after each one's receiving municipality has unlinked it from its
 * bookings. A placement whose receiver does not answer, or still holds a live booking of it, is
 * kept (and counted as kept): the sending municipality then culls nothing and asks again.
 */
export async function forgetPlacementsOf(
  em: EntityManager,
  municipality: string,
  requestIds: string[],
  unlink: UnlinkAtReceiver,
): Promise<CulledPlacementTracesType> {
  return em.fork().transactional(async (tx) => {
    const count = async (sql: string, params: unknown[]) => Number((await tx.execute<{ n: string }[]>(sql, params))[0]!.n);
    const ids = `{${requestIds.join(',')}}`;
    const live = `{${LIVE.join(',')}}`;
    const livePlacementsKept = await count(
      `select count(*) as n from placement where sending_municipality = ? and request_id = any(?::uuid[]) and (status = any(?::placement_status[]) or pending_step is not null)`,
      [municipality, ids, live],
    );
    const finished = await tx.execute<{ id: string; receiving_municipality: string }[]>(
      `select id, receiving_municipality from placement where sending_municipality = ? and request_id = any(?::uuid[]) and not (status = any(?::placement_status[])) and pending_step is null for update`,
      [municipality, ids, live],
    );
    const placementIds: string[] = [];
    let receivingBookingsDetached = 0;
    let unconfirmed = 0;
    for (const placement of finished) {
      const answer = await unlink(placement.receiving_municipality, placement.id).catch(() => undefined);
      if (!answer || answer.liveBookingsKept) {
        unconfirmed += 1;
        continue;
      }
      receivingBookingsDetached += answer.bookingsDetached;
      placementIds.push(placement.id);
    }
    const gone = `{${placementIds.join(',')}}`;
    const events = `select id from notification_event where data->>'placementId' = any(?::text[])`;
    const notificationDeliveries = await count(
      `with d as (delete from notification_delivery where event_id in (${events}) returning 1) select count(*) as n from d`,
      [gone],
    );
    const notificationEvents = await count(`with d as (delete from notification_event where id in (${events}) returning 1) select count(*) as n from d`, [
      gone,
    ]);
    const placementEvents = await count(`with d as (delete from placement_event where placement_id = any(?::uuid[]) returning 1) select count(*) as n from d`, [
      gone,
    ]);
    const placements = await count(`with d as (delete from placement where id = any(?::uuid[]) returning 1) select count(*) as n from d`, [gone]);
    return {
      placements,
      placementEvents,
      notificationEvents,
      notificationDeliveries,
      receivingBookingsDetached,
      livePlacementsKept: livePlacementsKept + unconfirmed,
    };
  });
}
