import { Ctx, FieldResolver, ID, Resolver } from 'type-graphql';
import type { ShardContext } from '../context';
import { PlacementRequestType } from './placement-request.type';

@Resolver(() => PlacementRequestType)
export class PlacementRequestResolver {
  @FieldResolver(() => ID)
  municipalityCode(@Ctx() ctx: ShardContext): string {
    return ctx.municipalityCode;
  }
}
