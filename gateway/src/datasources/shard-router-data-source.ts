import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Identity } from '@sodertorn/auth';
import { parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { MunicipalityUnavailableError, UnknownMunicipalityError } from '@sodertorn/service-kit';
import { mergeEntities, type ShardOutcome } from '../routing/merge-entities';
import { routeRootOperation } from '../routing/root-municipality';
import type { Representation } from '../routing/shard-key';
import { splitRepresentations, type ShardBatch } from '../routing/split-representations';
import {
  inClientSpan,
  operationNameAttribute,
  ShardUnavailable,
  SpanAttributes,
  type Shard,
  type ShardClient,
  type ShardRequest,
} from '@sodertorn/shard-client';

type IncomingOperation = Extract<GraphQLDataSourceProcessOptions<GatewayContext>, { kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION }>;

export interface GatewayContext {
  requestId: string;
  /** The verified caller; their token is forwarded for every subgraph to verify again. */
  identity?: Identity;
  /** Why the caller reads, if they said (X-Purpose); shards record it in their audit log. */
  purpose?: string;
}

/**
 * The gateway's data source for the `municipality` subgraph. Apollo routes by
 * type and field; this routes by data: `_entities` batches are split by the
 * kommunkod in each key and sent to every owner in parallel, root fields go to
 * the one municipality they name. A missing or slow shard costs only its own
 * entities, each with an error naming it.
 */
export class ShardRouterDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly knownCodes: ReadonlySet<string>;
  private readonly parsed = new Map<string, DocumentNode>();

  /** `client` calls the shards (@sodertorn/shard-client): pools, timeouts, retries, breaker, schema check. */
  constructor(private readonly client: ShardClient) {
    this.knownCodes = new Set(client.codes());
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return this.healthCheck();
    return tracedSubgraphFetch('municipality', options.request.operationName, () => this.route(options));
  }

  private async route(options: IncomingOperation): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const query = request.query ?? '';
    const document = options.document ?? this.parse(query);
    const routing = routeRootOperation(document, request.variables, options.context?.identity?.municipality);
    const headers = forwardedHeaders(options.context);
    const body: ShardRequest = { query, variables: request.variables, operationName: request.operationName };

    if (routing.kind === 'error') return { errors: [{ message: routing.message, extensions: { code: routing.code } }] };
    if (routing.kind === 'entities') return this.fetchEntities(body, headers);

    const shard = this.client.shard(routing.code);
    if (!shard) return { errors: [unknownMunicipality(routing.code)] };
    try {
      // Only a query may be retried; a mutation never is (the routing read the operation's type).
      const response = await shard.execute(body, headers, routing.operation);
      return { data: response.data, errors: response.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, municipalityCode: shard.code } })) };
    } catch (error) {
      return { errors: [unavailable(shard.code, error)] };
    }
  }

  private async fetchEntities(body: ShardRequest, headers: Record<string, string>): Promise<GatewayGraphQLResponse> {
    const representations = (body.variables?.representations ?? []) as Representation[];
    const { batches, unknown } = splitRepresentations(representations, this.knownCodes);
    const outcomes = await Promise.all(batches.map((batch) => this.fetchBatch(batch, body, headers)));
    const unknownErrors = unknown.map(({ index, code }) => unknownMunicipality(code, ['_entities', index]));
    const { entities, errors } = mergeEntities(representations.length, outcomes, unknownErrors);
    return { data: { _entities: entities }, errors: errors.length ? errors : undefined };
  }

  private async fetchBatch(batch: ShardBatch, body: ShardRequest, headers: Record<string, string>): Promise<ShardOutcome> {
    const shard: Shard = this.client.shard(batch.code)!;
    try {
      const response = await shard.execute({ ...body, variables: { ...body.variables, representations: batch.representations } }, headers, 'query');
      return { batch, ok: true, entities: response.data?._entities as unknown[] | undefined, errors: response.errors };
    } catch (error) {
      return { batch, ok: false, error: (index) => unavailable(batch.code, error, ['_entities', index]) };
    }
  }

  private async healthCheck(): Promise<GatewayGraphQLResponse> {
    const states = await this.client.verifyAll();
    const down = Object.entries(states).filter(([, state]) => state !== 'up');
    return down.length
      ? {
          errors: down.map(([code, state]) => new MunicipalityUnavailableError(code, `its deployment is ${state}`).toJSON()),
        }
      : { data: { __typename: 'Query' } };
  }

  private parse(query: string): DocumentNode {
    let document = this.parsed.get(query);
    if (!document) {
      document = parse(query);
      if (this.parsed.size > 1000) this.parsed.clear(); // the planner emits a bounded set of fetches
      this.parsed.set(query, document);
    }
    return document;
  }
}

/**
 * One span per subgraph fetch (the shard calls of a municipal fetch are its
 * children): the subgraph, the planner's operation name and whether errors came back.
 */
export function tracedSubgraphFetch(
  subgraph: string,
  operationName: string | null | undefined,
  fetch: () => Promise<GatewayGraphQLResponse>,
): Promise<GatewayGraphQLResponse> {
  return inClientSpan(
    'subgraph fetch',
    { [SpanAttributes.SUBGRAPH]: subgraph, ...operationNameAttribute(operationName) },
    async (span) => {
      const response = await fetch();
      span.setAttribute(SpanAttributes.GRAPHQL_ERRORS, response.errors?.length ?? 0);
      span.setAttribute(SpanAttributes.OUTCOME, response.errors?.length ? 'errors' : 'ok');
      return response;
    },
    () => 'unexpected',
    '@sodertorn/gateway',
  );
}

/** What a subgraph call carries from the incoming request: the token (verified again there), request id and purpose. */
export function forwardedHeaders(context: GatewayContext | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (context?.requestId) headers['x-request-id'] = context.requestId;
  if (context?.identity) headers.authorization = `Bearer ${context.identity.token}`;
  if (context?.purpose) headers['x-purpose'] = context.purpose;
  return headers;
}

function unavailable(code: string, error: unknown, path?: (string | number)[]): GraphQLFormattedError {
  const reason = error instanceof ShardUnavailable ? error.reason : 'an unexpected error occurred while calling it';
  return new MunicipalityUnavailableError(code, reason, path ? { path } : {}).toJSON();
}

function unknownMunicipality(code: string, path?: (string | number)[]): GraphQLFormattedError {
  return new UnknownMunicipalityError(code, path ? { path } : {}).toJSON();
}
