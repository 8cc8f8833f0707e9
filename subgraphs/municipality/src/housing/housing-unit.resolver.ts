import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertPeriod, todayInStockholm } from '@sodertorn/service-kit';
import { Booking } from '../bookings/booking.entity';
import { BookingType } from '../bookings/booking.type';
import { LocalDate } from '../common/scalars';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import { HousingUnit } from './housing-unit.entity';
import { RegisterHousingUnitInput, UpdateHousingUnitInput } from './housing-unit.inputs';
import { registerHousingUnit, updateHousingUnit } from './housing-unit.service';
import { FreePlaceRunType, HousingUnitType } from './housing-unit.type';
import type { FreePlaceRun } from './free-places';

/**
 * A unit as the field resolvers get it: an entity (from a reference) or a plain row (from a list,
 * see listHousingUnits). An interface on purpose: with the entity class as the root's type,
 * type-graphql would copy each plain row into a new entity, once per unit and field.
 */
interface UnitRow {
  id: string;
}

@Resolver(() => HousingUnitType)
export class HousingUnitResolver {
  @FieldResolver(() => ID)
  municipalityCode(@Ctx() ctx: ShardContext): string {
    return ctx.municipalityCode;
  }

  @FieldResolver(() => Int, {
    description: 'Places free on every day from `from` up to, not including, `to`: at most 731 days, from 2000-01-01 to three years ahead',
  })
  async freePlaces(
    @Root() unit: UnitRow,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() { loaders }: ShardContext,
  ): Promise<number> {
    assertPeriod({ field: 'from', value: from }, { field: 'to', value: to });
    return loaders.freePlaces({ from, to }).load(unit.id);
  }

  @FieldResolver(() => [FreePlaceRunType], {
    description:
      'Free places day by day from `from` up to, not including, `to`, as runs of days with the same number (the runs cover the period): ' +
      'for counting free places over many stays at once. Same limits as freePlaces.',
  })
  async freePlaceRuns(
    @Root() unit: UnitRow,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() { loaders }: ShardContext,
  ): Promise<FreePlaceRun[]> {
    assertPeriod({ field: 'from', value: from }, { field: 'to', value: to });
    return loaders.freePlaceRuns({ from, to }).load(unit.id);
  }

  // Nullable for the same reason as streetAddress: refused per municipality, while the unit's capacity fields are not.
  @FieldResolver(() => [BookingType], {
    nullable: true,
    description:
      'Bookings of the unit that overlap the period, in date order: at most 731 days, from 2000-01-01 to three years ahead; null, with a FORBIDDEN error, where refused',
  })
  async bookings(
    @Root() unit: UnitRow,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() { loaders }: ShardContext,
  ): Promise<Booking[]> {
    assertPeriod({ field: 'from', value: from }, { field: 'to', value: to });
    return loaders.bookingsOfUnits({ from, to }).load(unit.id);
  }

  @Mutation(() => HousingUnitType)
  @MunicipalityArg()
  async registerHousingUnit(@Arg('input', () => RegisterHousingUnitInput) input: RegisterHousingUnitInput, @Ctx() { em }: ShardContext): Promise<HousingUnit> {
    return registerHousingUnit(em, input);
  }

  @Mutation(() => HousingUnitType)
  @MunicipalityArg()
  async updateHousingUnit(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateHousingUnitInput) input: UpdateHousingUnitInput,
    @Ctx() { em }: ShardContext,
  ): Promise<HousingUnit> {
    return updateHousingUnit(em, id, input, todayInStockholm());
  }
}
