import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RegionalContext } from '../context';
import { visiblePlacements } from './placement-access';
import { Placement } from './placement.entity';
import { PlacementRequestRef, PlacementType } from './placement.type';

/**
 * The placements the region holds for a request, by the request's pseudonymous reference: how a
 * participant's register extract (the home shard's accessRequest) gets them through the
 * federation, without the region holding or seeing anything of the person.
 */
@Resolver(() => PlacementRequestRef)
export class RequestPlacementsResolver {
  @FieldResolver(() => [PlacementType], {
    description:
      'Every placement made for this request, newest first, declined and ended ones too; only those the caller is a party to (coordinators: all). From the region.',
  })
  async placements(@Root() request: PlacementRequestRef, @Ctx() { em, identity }: RegionalContext): Promise<Placement[]> {
    const visible = visiblePlacements(identity);
    if (!visible) return [];
    return em.find(
      Placement,
      { $and: [visible, { sendingMunicipality: request.municipalityCode, requestId: request.id }] },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }
}
