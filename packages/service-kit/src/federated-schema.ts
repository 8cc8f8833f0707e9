import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isObjectType, parse, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions, type MiddlewareFn } from 'type-graphql';
import { refuseControlCharacters } from './plain-text.middleware';

/** Federation 2 directives the subgraphs use; composition fails loudly on anything else. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])';

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => Promise<unknown> }>;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck' | 'globalMiddlewares'> {
  /**
   * Middlewares for the fields that take arguments and for every Query and Mutation field, in
   * this order, after `refuseControlCharacters`. Not run for the other fields: a field without
   * arguments inside a result (a unit's `id`, `places`…) has nothing for them to check, and
   * running them there cost a chain of promises per field and object of every answer.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph's middlewares take its own context
  argumentMiddlewares?: MiddlewareFn<any>[];
}

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: build with
 * type-graphql, print with directives (so `@key` survives), then let
 * `buildSubgraphSchema` add `_service`/`_entities` and the reference resolvers.
 * Every argument passes `refuseControlCharacters` first.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions, referenceResolvers: ReferenceResolvers = {}): Promise<GraphQLSchema> {
  const { argumentMiddlewares = [], ...buildOptions } = options;
  const schema = await buildSchema({ ...buildOptions, skipCheck: true });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  withArgumentMiddlewares(schema, resolvers, [refuseControlCharacters, ...argumentMiddlewares]);
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers,
  });
}

/** Wraps, in `resolvers`, the resolver of every root field and every field with arguments in `middlewares`. */
function withArgumentMiddlewares(schema: GraphQLSchema, resolvers: GraphQLResolverMap<unknown>, middlewares: readonly MiddlewareFn[]): void {
  const roots = new Set([schema.getQueryType(), schema.getMutationType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeResolvers = resolvers[type.name] as Record<string, unknown> | undefined;
    for (const field of Object.values(type.getFields())) {
      const resolve = typeResolvers?.[field.name];
      if (typeof resolve !== 'function' || (!roots.has(type) && field.args.length === 0)) continue;
      typeResolvers![field.name] = runMiddlewares(middlewares, resolve as GraphQLFieldResolver<unknown, object>);
    }
  }
}

/** Calls `middlewares` in order, each passing on to the next with `next()`, the resolver last (as type-graphql does). */
function runMiddlewares(middlewares: readonly MiddlewareFn[], resolve: GraphQLFieldResolver<unknown, object>): GraphQLFieldResolver<unknown, object> {
  return (root, args, context, info) => {
    const data = { root, args, context, info };
    const dispatch = async (index: number): Promise<unknown> => {
      if (index === middlewares.length) return resolve(root, args, context, info);
      let nextResult: unknown;
      const result = await middlewares[index]!(data, async () => (nextResult = await dispatch(index + 1)));
      return result !== undefined ? result : nextResult;
    };
    return dispatch(0);
  };
}
