import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { NEVER_CONNECTED_CODES, RegionalServiceUnavailableError } from '@sodertorn/errors';
import type { PeerConnection } from '@sodertorn/service-kit';
import { forwardedHeaders, tracedSubgraphFetch, type GatewayContext } from './shard-router-data-source';

/** Above the regional subgraph's longest own step (matching's 10 s solve; a statistics round's shard calls), below the web server's 30 s. */
export const DEFAULT_REGIONAL_TIMEOUT_MS = 25_000;

/**
 * The gateway's calls to the regional subgraph: the caller's headers passed on, a span per fetch,
 * an answer within `timeoutMs`, and a failure to answer told truthfully as
 * RegionalServiceUnavailableError (whether what was sent may have been carried out) instead of
 * Apollo's code-less error, which the gateway would mask as an internal one.
 */
export class RegionalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    fetch: PeerConnection['fetch'],
    private readonly timeoutMs: number,
  ) {
    const bounded: PeerConnection['fetch'] = (input, init = {}) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    super({
      url,
      fetcher: bounded,
      willSendRequest: ({ request, context }) => {
        for (const [header, value] of Object.entries(forwardedHeaders(context as GatewayContext))) request.http?.headers.set(header, value);
      },
    });
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    return tracedSubgraphFetch('regional', options.request.operationName, () =>
      super
        .process(options)
        .catch(refusalAsResponse)
        .catch((error: unknown) => {
          throw unansweredAsUnavailable(error, this.timeoutMs);
        }),
    );
  }
}

/**
 * A subgraph refuses a request it cannot even run (a variable that is no valid
 * LocalDate, a literal that fails validation) with HTTP 400 and a GraphQL body
 * naming the problem. Apollo's data source turns any non-2xx answer into one
 * code-less error, which the gateway then masks as INTERNAL_SERVER_ERROR. Passed
 * on as the response it is, each error keeps its code and message (the subgraph
 * masked anything internal already, and formatError masks again here).
 */
function refusalAsResponse(error: unknown): GatewayGraphQLResponse {
  const response = (error as { extensions?: { response?: { status?: unknown; body?: unknown } } })?.extensions?.response;
  const body = response?.body as { errors?: unknown } | undefined;
  if (response?.status === 400 && Array.isArray(body?.errors) && body.errors.length > 0) return { errors: body.errors as GatewayGraphQLResponse['errors'] };
  throw error;
}

/** A call that got no HTTP answer, as the error that says so; anything else (an answer of another status, a bug) as it is. */
function unansweredAsUnavailable(error: unknown, timeoutMs: number): unknown {
  if ((error as { extensions?: { response?: unknown } })?.extensions?.response) return error;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name === 'TimeoutError') return new RegionalServiceUnavailableError('no-answer', timeoutMs);
  if (typeof code !== 'string') return error;
  return new RegionalServiceUnavailableError(NEVER_CONNECTED_CODES.has(code) ? 'unreachable' : 'cut', timeoutMs);
}
