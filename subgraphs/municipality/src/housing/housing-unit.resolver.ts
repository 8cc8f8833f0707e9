import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { todayInStockholm, ValidationFailedError } from '@sodertorn/service-kit';
import { Booking } from '../bookings/booking.entity';
import { BookingType } from '../bookings/booking.type';
import { LocalDate } from '../common/scalars';
import { MUNICIPALITY_ARG } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import { MAX_PERIOD_DAYS } from './free-places';
import { HousingUnit } from './housing-unit.entity';
import { RegisterHousingUnitInput, UpdateHousingUnitInput } from './housing-unit.inputs';
import { registerHousingUnit, updateHousingUnit } from './housing-unit.service';
import { HousingUnitType } from './housing-unit.type';


@Resolver(() => HousingUnitType)
export class HousingUnitResolver {
  @FieldResolver(() => ID)
  municipalityCode(@Ctx() ctx: ShardContext): string {
    return ctx.municipalityCode;
  }

  @FieldResolver(() => Int, { description: 'Places free on every day from `from` up to, not including, `to`' })
  async freePlaces(
    @Root() unit: HousingUnit,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() { loaders }: ShardContext,
  ): Promise<number> {
    assertPeriod(from, to);
    return loaders.freePlaces({ from, to }).load(unit.id);
  }

  // Nullable for the same reason as streetAddress: refused per municipality, while the unit's capacity fields are not.
  @FieldResolver(() => [BookingType], { nullable: true, description: 'Bookings of the unit that overlap the period, in date order; null, with a FORBIDDEN error, where refused' })
  async bookings(
    @Root() unit: HousingUnit,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() { loaders }: ShardContext,
  ): Promise<Booking[]> {
    assertPeriod(from, to);
    return loaders.bookingsOfUnits({ from, to }).load(unit.id);
  }

  @Mutation(() => HousingUnitType)
  async registerHousingUnit(
    @Arg('municipalityCode', () => ID, MUNICIPALITY_ARG) _municipalityCode: string | null,
    @Arg('input', () => RegisterHousingUnitInput) input: RegisterHousingUnitInput,
    @Ctx() { em }: ShardContext,
  ): Promise<HousingUnit> {
    return registerHousingUnit(em, input);
  }

  @Mutation(() => HousingUnitType)
  async updateHousingUnit(
    @Arg('municipalityCode', () => ID, MUNICIPALITY_ARG) _municipalityCode: string | null,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateHousingUnitInput) input: UpdateHousingUnitInput,
    @Ctx() { em }: ShardContext,
  ): Promise<HousingUnit> {
    return updateHousingUnit(em, id, input, todayInStockholm());
  }
}

function assertPeriod(from: string, to: string): void {
  if (to <= from) throw ValidationFailedError.of('to', 'must be after from (to is the first day not included)');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days > MAX_PERIOD_DAYS) throw ValidationFailedError.of('to', `the period can be at most ${MAX_PERIOD_DAYS} days`);
}
