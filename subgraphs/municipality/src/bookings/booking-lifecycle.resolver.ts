import { hasRole, Role } from '@sodertorn/auth';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import { LocalDate } from '../common/scalars';
import type { ShardContext } from '../context';
import { IDEMPOTENCY_KEY_ARG, idempotentStep } from '../idempotency/idempotency';
import { confirmBooking, endBooking, holdPlaces, releaseBooking, releaseExpiredHolds } from './booking-lifecycle.service';
import { HoldPlacesInput } from './booking.inputs';
import { bookingCodec, type BookingRecord } from './booking.record';
import { BookingType } from './booking.type';

/** Runs one lifecycle step under its idempotency key. */
const step = idempotentStep(bookingCodec);

/**
 * The receiving municipality's side of a placement: it owns the booking of its
 * unit. The region holds and releases places; the unit's housing managers (or
 * the orchestrator's service token) confirm and end the stay.
 */
@Resolver(() => BookingType)
export class BookingLifecycleResolver {
  @Mutation(() => BookingType, { description: 'Holds places of a unit (status HELD) until expiresAt; NO_FREE_PLACES says how many are free when too few are' })
  @MunicipalityArg()
  async holdPlaces(
    @Arg('input', () => HoldPlacesInput) input: HoldPlacesInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<BookingRecord> {
    return step(ctx, 'holdPlaces', idempotencyKey, { input }, (tx) => holdPlaces(tx, input));
  }

  @Mutation(() => BookingType, { description: 'HELD → CONFIRMED; an expired hold is refused with HOLD_EXPIRED' })
  @MunicipalityArg()
  async confirmBooking(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<BookingRecord> {
    return step(ctx, 'confirmBooking', idempotencyKey, { id }, (tx) => confirmBooking(tx, id));
  }

  @Mutation(() => BookingType, {
    description:
      'HELD or CONFIRMED → RELEASED: the places are free again; a regional placement’s booking is released through the region (declinePlacement, cancelPlacement)',
  })
  @MunicipalityArg()
  async releaseBooking(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<BookingRecord> {
    return step(ctx, 'releaseBooking', idempotencyKey, { id }, (tx) => releaseBooking(tx, id, { byRegion: hasRole(ctx.identity, Role.SERVICE) }));
  }

  @Mutation(() => BookingType, { description: 'CONFIRMED → ENDED; endsOn (the day of moving out) moves forward if earlier, never later' })
  @MunicipalityArg()
  async endBooking(
    @Arg('id', () => ID) id: string,
    @Arg('endsOn', () => LocalDate) endsOn: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() ctx: ShardContext,
  ): Promise<BookingRecord> {
    return step(ctx, 'endBooking', idempotencyKey, { id, endsOn }, (tx) => endBooking(tx, id, endsOn));
  }

  @Mutation(() => Int, { description: 'Marks every expired hold RELEASED (their places already count as free); returns how many' })
  @MunicipalityArg()
  async releaseExpiredHolds(@Ctx() { em }: ShardContext): Promise<number> {
    return releaseExpiredHolds(em);
  }
}
