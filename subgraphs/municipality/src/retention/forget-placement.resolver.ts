import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ObjectType('ForgottenPlacementTraces', { description: 'What this municipality unlinked from a culled case’s placement (counts only)' })
export class ForgottenPlacementTracesType {
  @Field(() => Int, { description: 'Bookings of own units, ended or released, that no longer name the placement (their days stay as they were)' })
  bookingsDetached!: number;

  @Field(() => Int, { description: 'Stored results of the placement’s steps removed' })
  idempotencyRecordsRemoved!: number;

  @Field(() => Int, { description: 'Bookings of the placement still held or confirmed, kept with it (nothing else is changed then)' })
  liveBookingsKept!: number;
}

@Resolver()
export class ForgetPlacementResolver {
  @Mutation(() => ForgottenPlacementTracesType, {
    description:
      'The region’s service only, when the sending municipality has culled the case behind a finished placement: this municipality’s bookings stop naming it (the occupancy of its units is unchanged) and the stored results of its steps go. A booking still held or confirmed keeps it, and then nothing changes.',
  })
  @MunicipalityArg()
  async forgetCulledPlacement(@Arg('placementId', () => ID) placementId: string, @Ctx() { em }: ShardContext): Promise<ForgottenPlacementTracesType> {
    if (!UUID.test(placementId)) throw ValidationFailedError.of('placementId', 'must be a placement id (a UUID)');
    return forgetPlacementHere(em, placementId);
  }
}

/** Unlinks a placement from this municipality's bookings and idempotency records, in one transaction. */
export async function forgetPlacementHere(em: EntityManager, placementId: string): Promise<ForgottenPlacementTracesType> {
  return em.fork().transactional(async (tx) => {
    const count = async (sql: string, params: unknown[]) => Number((await tx.execute<{ n: string }[]>(sql, params))[0]!.n);
    const liveBookingsKept = await count(`select count(*) as n from booking where placement_id = ? and status in ('HELD', 'CONFIRMED')`, [placementId]);
    if (liveBookingsKept) return { bookingsDetached: 0, idempotencyRecordsRemoved: 0, liveBookingsKept };
    const bookingsDetached = await count(
      `with d as (update booking set placement_id = null, updated_at = now() where placement_id = ? returning 1) select count(*) as n from d`,
      [placementId],
    );
    const pattern = `%${placementId}%`;
    const idempotencyRecordsRemoved = await count(
      `with d as (delete from idempotent_operation where key like ? or result::text like ? returning 1) select count(*) as n from d`,
      [pattern, pattern],
    );
    return { bookingsDetached, idempotencyRecordsRemoved, liveBookingsKept };
  });
}
