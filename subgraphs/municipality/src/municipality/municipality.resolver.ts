import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ShardContext } from '../context';
import { HousingUnit } from '../housing/housing-unit.entity';
import { HousingUnitFilter } from '../housing/housing-unit.inputs';
import { listHousingUnits } from '../housing/housing-unit.service';
import { HousingUnitType } from '../housing/housing-unit.type';
import { SupportResource } from '../support-resources/support-resource.entity';
import { SupportResourceType } from '../support-resources/support-resource.type';
import { MunicipalityType } from './municipality.type';

@Resolver(() => MunicipalityType)
export class MunicipalityResolver {
  @Query(() => MunicipalityType, { description: 'The municipality named by municipalityCode, served by its own deployment' })
  myMunicipality(@Arg('municipalityCode', () => ID) municipalityCode: string): MunicipalityType {
    return { code: municipalityCode };
  }

  @FieldResolver(() => [HousingUnitType], { nullable: true, description: 'Housing units (RETIRED ones only when asked for)' })
  async housingUnits(
    @Root() _municipality: MunicipalityType,
    @Arg('filter', () => HousingUnitFilter, { nullable: true }) filter: HousingUnitFilter | null,
    @Ctx() { em }: ShardContext,
  ): Promise<HousingUnit[]> {
    return listHousingUnits(em, filter);
  }

  @FieldResolver(() => [SupportResourceType], { nullable: true })
  async supportResources(@Root() _municipality: MunicipalityType, @Ctx() { em }: ShardContext): Promise<SupportResource[]> {
    return em.find(SupportResource, {}, { orderBy: { kind: 'asc', name: 'asc' } });
  }
}
