import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationRule } from 'graphql';
import { parseEnv, z } from './config';
import { ParseRefusedError } from './errors';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxTokens: 2_000 };

const limit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a positive whole number' })
    .int('must be a positive whole number')
    .positive('must be a positive whole number')
    .default(fallback);

/**
 * MAX_DEPTH, MAX_COST, MAX_ALIASES and MAX_TOKENS, read by the gateway and by
 * every subgraph alike: a subgraph with lower limits than the gateway would
 * refuse the gateway's own fetches, one with higher limits would be the way round them.
 */
export function parseQueryLimitsEnv(service: string, source: NodeJS.ProcessEnv = process.env): QueryLimits {
  const config = parseEnv(
    service,
    {
      MAX_DEPTH: limit(DEFAULT_QUERY_LIMITS.maxDepth),
      MAX_COST: limit(DEFAULT_QUERY_LIMITS.maxCost),
      MAX_ALIASES: limit(DEFAULT_QUERY_LIMITS.maxAliases),
      MAX_TOKENS: limit(DEFAULT_QUERY_LIMITS.maxTokens),
    },
    source,
  );
  return { maxDepth: config.MAX_DEPTH, maxCost: config.MAX_COST, maxAliases: config.MAX_ALIASES, maxTokens: config.MAX_TOKENS };
}

/**
 * Depth, cost, alias, token and directive limits (graphql-armor), checked while
 * the operation is parsed and validated: a bomb is refused before anything is
 * planned, read, audited or sent to a municipality. Every service applies them
 * (see createGraphQLServer): a shard is reachable by every service of the
 * region, not only through the gateway. Field suggestions are off, so a probe learns no names.
 */
export function queryLimits(limits: QueryLimits): { plugins: ApolloServerPlugin<BaseContext>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    plugins: armor.plugins.map((plugin) => refusalsAsBadRequests(plugin as ApolloServerPlugin<BaseContext>)),
    validationRules: armor.validationRules as ValidationRule[],
  };
}

/**
 * The token limit is checked in a `parsingDidStart` hook. Apollo treats anything
 * thrown there as an unexpected error; graphql-armor's own
 * `unexpectedErrorProcessingRequest` then rethrows *every* unexpected error as
 * GRAPHQL_VALIDATION_FAILED, with its message, and HTTP 500. Here only the
 * limit's own refusal is rethrown, as a 400 parse error; any other unexpected
 * error stays Apollo's masked 500.
 */
function refusalsAsBadRequests(plugin: ApolloServerPlugin<BaseContext>): ApolloServerPlugin<BaseContext> {
  if (!plugin.requestDidStart) return plugin;
  const { unexpectedErrorProcessingRequest: _armorsRethrowOfEverything, requestDidStart, ...rest } = plugin;
  return {
    ...rest,
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof ParseRefusedError) throw error;
    },
    async requestDidStart(requestContext) {
      const listener = await requestDidStart.call(plugin, requestContext);
      const parsingDidStart = listener?.parsingDidStart;
      if (!listener || !parsingDidStart) return listener;
      return {
        ...listener,
        async parsingDidStart(parsingContext) {
          try {
            return await parsingDidStart.call(listener, parsingContext);
          } catch (error) {
            throw error instanceof GraphQLError ? new ParseRefusedError(error.message) : error;
          }
        },
      };
    },
  };
}
