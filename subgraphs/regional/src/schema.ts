import 'reflect-metadata';
import { buildFederatedSchema } from '@sodertorn/service-kit';
import type { GraphQLSchema } from 'graphql';
import { referenceResolvers } from './references';
import { RegionResolver } from './region/region.resolver';

/** The regional subgraph's schema: coordination only, pseudonymous data only. */
export function buildRegionalSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [RegionResolver], validate: { forbidUnknownValues: false } }, referenceResolvers);
}
