import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { OperationNotFoundError, PUBLIC_ERROR_CODES } from './errors';
import type { Logger } from './logger';
import { safeOperationName } from './operation-name';
import { DEFAULT_QUERY_LIMITS, queryLimits, type QueryLimits } from './query-limits';
import { requestIdFrom } from './request-headers';

export interface GraphQLServerOptions {
  /** A subgraph's executable schema, or… */
  schema?: GraphQLSchema;
  /** …the gateway that plans and executes across subgraphs. */
  gateway?: GatewayInterface;
  logger: Logger;
  /** Allow introspection (development only; the gateway needs `_service`, which is not introspection). */
  introspection?: boolean;
  plugins?: ApolloServerPlugin<BaseContext>[];
  /** Query limits (parseQueryLimitsEnv); default DEFAULT_QUERY_LIMITS. The same in every service. */
  limits?: QueryLimits;
}

/**
 * An Apollo Server with the settings every service (subgraphs and gateway) shares: query limits,
 * no stack traces, no batched HTTP requests, CSRF prevention on, and unexpected errors masked.
 *
 * Masking matters for privacy: a database error can quote a row (a unique
 * violation quotes the personal identity number). The client gets a fixed
 * message; the log gets the error class and code, never the message text.
 */
export function createGraphQLServer<TContext extends BaseContext>(options: GraphQLServerOptions): ApolloServer<TContext> {
  const { logger } = options;
  const executor = options.gateway ? { gateway: options.gateway } : { schema: options.schema! };
  const limits = queryLimits(options.limits ?? DEFAULT_QUERY_LIMITS);
  return new ApolloServer<TContext>({
    ...executor,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Apollo's own handler would stop the server and re-raise the signal at once, cutting
    // requests in flight; runUntilStopped drains first, then stops Apollo (see Listening.drain).
    stopOnTerminationSignals: false,
    logger,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin(),
      requestLogPlugin(logger),
      operationResolutionPlugin(),
      ...(options.plugins ?? []),
      ...limits.plugins,
    ] as ApolloServerPlugin<TContext>[],
    validationRules: limits.validationRules,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
  });
}

function maskUnexpected(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code)) return formatted;
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  logger.error({ errorClass: (original as Error)?.constructor?.name, code, path: formatted.path }, 'unexpected error in resolver');
  return {
    message: 'Internal server error. The failure was logged without its details; nothing of this request was saved.',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * A document without the operation the request names (or with several and no
 * name) is the caller's mistake: HTTP 400, OPERATION_RESOLUTION_FAILURE, and
 * graphql-js's own wording ("Unknown operation named …"). Apollo Server finds
 * this for a schema only after executing; with a gateway the query planner
 * throws first, which came out as a masked HTTP 500.
 */
function operationResolutionPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `Unknown operation named "${safeOperationName(request.operationName)}". Send the name of an operation in the document, or leave operationName out.`
            : 'The document holds several operations: name the one to run in operationName.';
          throw new OperationNotFoundError(message);
        },
      };
    },
  };
}

/**
 * Every answer says `cache-control: no-store`, as Apollo's cache-control plugin said for each of
 * them (no field has a cache hint, so none was ever cacheable), and answers can hold personal data.
 * That plugin is off: it did its work on every field of every object (a policy object and closures
 * each time) only to reach this same header.
 */
function noStorePlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}

/** One line per operation: its name, type, duration and error codes. Never variables. */
function requestLogPlugin(logger: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors, request, response, contextValue }) {
          // The context's id is the one passed on to subgraphs (made up when the caller sent none).
          const requestId = (contextValue as { requestId?: unknown }).requestId;
          const id = typeof requestId === 'string' ? requestId : requestIdFrom(request.http?.headers.get('x-request-id') ?? undefined);
          response.http.headers.set('x-request-id', id);
          logger.info(
            {
              operationName: safeOperationName(operationName),
              operationType: operation?.operation,
              requestId: id,
              ms: Math.round(performance.now() - started),
              errorCodes: errors?.map((e) => e.extensions?.code ?? 'UNKNOWN'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
