import { WrongMunicipalityError } from '@sodertorn/service-kit';
import type { MiddlewareFn } from 'type-graphql';
import type { ShardContext } from '../context';

/**
 * Root fields are "my municipality" operations. Their `municipalityCode` argument
 * is what the gateway routed by; a deployment answers only for its own code.
 */
export const ownMunicipalityGuard: MiddlewareFn<ShardContext> = async ({ args, info, context }, next) => {
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  if (isRoot && 'municipalityCode' in args && args.municipalityCode !== context.municipalityCode) {
    throw new WrongMunicipalityError(String(args.municipalityCode), context.municipalityCode);
  }
  return next();
};
