import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import type { HousingUnit } from '../housing/housing-unit.entity';
import { freePlacesPeriodAsked } from '../housing/free-places-asked';
import { HousingUnitFilter } from '../housing/housing-unit.inputs';
import { listHousingUnits } from '../housing/housing-unit.service';
import { HousingUnitType } from '../housing/housing-unit.type';
import { SupportResource } from '../support-resources/support-resource.entity';
import { SupportResourceType } from '../support-resources/support-resource.type';
import { PlacementRequestStatus } from '../placement-requests/placement-request.enums';
import type { PlacementRequest } from '../placement-requests/placement-request.entity';
import { listPlacementRequests } from '../placement-requests/placement-request.service';
import { PlacementRequestType } from '../placement-requests/placement-request.type';
import { MunicipalityType } from './municipality.type';

@Resolver(() => MunicipalityType)
export class MunicipalityResolver {
  @Query(() => MunicipalityType, { description: "The caller's own municipality, or (for coordinators) the one municipalityCode names" })
  @MunicipalityArg()
  myMunicipality(@Ctx() ctx: ShardContext): MunicipalityType {
    return { code: ctx.municipalityCode };
  }

  @FieldResolver(() => [HousingUnitType], { nullable: true, description: 'Housing units (RETIRED ones only when asked for)' })
  async housingUnits(
    @Root() _municipality: MunicipalityType,
    @Arg('filter', () => HousingUnitFilter, { nullable: true }) filter: HousingUnitFilter | null,
    @Ctx() { reads, loaders }: ShardContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<HousingUnit[]> {
    // Free places asked for over one period come with the list, in its statement; each unit's
    // freePlaces resolver (policy and date rules included) then finds its number in the loader.
    const period = freePlacesPeriodAsked(info);
    const units = await listHousingUnits(reads, filter, period);
    if (period) {
      const loader = loaders.freePlaces(period);
      for (const unit of units) loader.prime(unit.id, unit.freePlaces!);
    }
    return units;
  }

  @FieldResolver(() => [PlacementRequestType], {
    nullable: true,
    description: "The municipality's placement requests, longest waiting first; every status unless statuses are named",
  })
  async placementRequests(
    @Root() _municipality: MunicipalityType,
    @Arg('statuses', () => [PlacementRequestStatus], { nullable: true }) statuses: PlacementRequestStatus[] | null,
    @Ctx() { em }: ShardContext,
  ): Promise<PlacementRequest[]> {
    return listPlacementRequests(em, statuses);
  }

  @FieldResolver(() => [SupportResourceType], { nullable: true })
  async supportResources(@Root() _municipality: MunicipalityType, @Ctx() { em }: ShardContext): Promise<SupportResource[]> {
    return em.find(SupportResource, {}, { orderBy: { kind: 'asc', name: 'asc' } });
  }
}
