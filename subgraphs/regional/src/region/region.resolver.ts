import { Arg, Ctx, FieldResolver, ID, Query, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { RegisteredMunicipality } from './registered-municipality.entity';
import { MunicipalityRef, RegionType } from './region.type';

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => RegionType)
  region(): RegionType {
    return { name: 'Södertörn' };
  }

  @FieldResolver(() => [MunicipalityRef], {
    description: "Every member municipality, in kommunkod order. Fields such as housingUnits come from each municipality's own deployment.",
  })
  async municipalities(@Ctx() { members }: RegionalContext): Promise<readonly MunicipalityRef[]> {
    return members.members();
  }

  @FieldResolver(() => MunicipalityRef, { nullable: true })
  async municipality(@Arg('code', () => ID) code: string, @Ctx() { em }: RegionalContext): Promise<RegisteredMunicipality | null> {
    return em.findOne(RegisteredMunicipality, { code });
  }
}
