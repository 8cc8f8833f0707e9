import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxTokens: 2_000 };

/**
 * Depth, cost, alias, token and directive limits (graphql-armor), checked while
 * the operation is parsed and validated: a bomb is refused before anything is
 * planned or sent to a municipality. Field suggestions are off, so a probe learns no names.
 */
export function queryLimits(limits: QueryLimits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return { ...armor, plugins: armor.plugins.map((plugin) => refusalsAsBadRequests(plugin as ApolloServerPlugin<BaseContext>)) };
}

/** A request refused while it was parsed: the client's fault, answered with 400. */
class ParseRefused extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } });
  }
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
      if (error instanceof ParseRefused) throw error;
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
            throw error instanceof GraphQLError ? new ParseRefused(error.message) : error;
          }
        },
      };
    },
  };
}
