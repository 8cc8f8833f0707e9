import { ApolloArmor } from '@escape.tech/graphql-armor';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxTokens: 2_000 };

/**
 * Depth, cost, alias, token and directive limits (graphql-armor), checked while
 * the operation is validated: a bomb is refused before anything is planned or
 * sent to a municipality. Field suggestions are off, so a probe learns no names.
 */
export function queryLimits(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}
