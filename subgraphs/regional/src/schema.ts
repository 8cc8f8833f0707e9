import 'reflect-metadata';
import { buildFederatedSchema, enforcePolicy } from '@sodertorn/service-kit';
import type { GraphQLSchema } from 'graphql';
import { regionalPolicy } from './access-policy';
import { referenceResolvers } from './references';
import { PlacementResolver } from './placements/placement.resolver';
import { ForgetCulledResolver } from './placements/forget-culled.resolver';
import { ProposalResolver } from './placements/proposal.resolver';
import { ReconcileResolver } from './placements/reconcile.resolver';
import { RequestPlacementsResolver } from './placements/request-placements.resolver';
import { RegionResolver } from './region/region.resolver';
import { StatisticsResolver } from './statistics/statistics.resolver';

/** The regional subgraph's schema: coordination only, pseudonymous data only. */
export async function buildRegionalSchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    {
      resolvers: [RegionResolver, PlacementResolver, RequestPlacementsResolver, ReconcileResolver, ProposalResolver, StatisticsResolver, ForgetCulledResolver],
      validate: { forbidUnknownValues: false },
    },
    referenceResolvers,
  );
  return enforcePolicy(schema, regionalPolicy);
}
