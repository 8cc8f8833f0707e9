import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { refuseControlCharacters } from './plain-text.middleware';

/** Federation 2 directives the subgraphs use; composition fails loudly on anything else. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])';

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => Promise<unknown> }>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: build with
 * type-graphql, print with directives (so `@key` survives), then let
 * `buildSubgraphSchema` add `_service`/`_entities` and the reference resolvers.
 * Every field's arguments pass `refuseControlCharacters` first.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, globalMiddlewares: [refuseControlCharacters, ...(options.globalMiddlewares ?? [])], skipCheck: true });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers,
  });
}
