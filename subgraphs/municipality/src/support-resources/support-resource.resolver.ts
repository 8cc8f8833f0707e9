import { NotFoundError } from '@sodertorn/service-kit';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { isUuid } from '@sodertorn/service-kit';
import { applyGiven, rejectNulls } from '../common/updates';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import { SupportResource } from './support-resource.entity';
import { RegisterSupportResourceInput, UpdateSupportResourceInput } from './support-resource.inputs';
import { SupportResourceType } from './support-resource.type';

@Resolver(() => SupportResourceType)
export class SupportResourceResolver {
  @Mutation(() => SupportResourceType)
  @MunicipalityArg()
  async registerSupportResource(
    @Arg('input', () => RegisterSupportResourceInput) input: RegisterSupportResourceInput,
    @Ctx() { em }: ShardContext,
  ): Promise<SupportResource> {
    const resource = new SupportResource(input.kind, input.name, input.capacity);
    await em.persistAndFlush(resource);
    return resource;
  }

  @Mutation(() => SupportResourceType)
  @MunicipalityArg()
  async updateSupportResource(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSupportResourceInput) input: UpdateSupportResourceInput,
    @Ctx() { em }: ShardContext,
  ): Promise<SupportResource> {
    rejectNulls(input);
    const resource = isUuid(id) ? await em.findOne(SupportResource, { id }) : null;
    if (!resource) throw new NotFoundError('Support resource', id);
    applyGiven(resource, input);
    await em.flush();
    return resource;
  }
}
