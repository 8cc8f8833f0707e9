import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { ShardContext } from '../context';
import { HousingUnit } from '../housing/housing-unit.entity';
import { HousingUnitType } from '../housing/housing-unit.type';
import type { BookingRecord } from './booking.record';
import { BookingType } from './booking.type';

@Resolver(() => BookingType)
export class BookingResolver {
  @FieldResolver(() => ID)
  municipalityCode(@Ctx() ctx: ShardContext): string {
    return ctx.municipalityCode;
  }

  @FieldResolver(() => HousingUnitType)
  async unit(@Root() booking: BookingRecord, @Ctx() { loaders }: ShardContext): Promise<HousingUnit> {
    return (await loaders.housingUnit.load(booking.unit.id))!;
  }
}
