import { composeServices } from '@apollo/composition';
import { buildMunicipalitySchema } from '@sodertorn/municipality';
import { buildRegionalSchema } from '@sodertorn/regional';
import { execute, parse, type GraphQLSchema } from 'graphql';

export interface ComposedSchemas {
  /** SDL of the municipal subgraph, as each municipality's deployment serves it from `_service`. */
  municipality: string;
  regional: string;
  supergraph: string;
}

/**
 * The supergraph's subgraph URLs are placeholders: the gateway replaces the
 * regional one from its configuration, and routes `municipality` per kommunkod
 * through the shard router, so no single URL would be right.
 */
export const SUBGRAPH_PLACEHOLDER_URLS = {
  municipality: 'http://municipality.shard-router.invalid/graphql',
  regional: 'http://regional.invalid/graphql',
} as const;

/** Builds both subgraph schemas from code and composes them with Apollo's composition library. */
export async function composeSupergraph(): Promise<ComposedSchemas> {
  const municipality = await servedSdl(await buildMunicipalitySchema());
  const regional = await servedSdl(await buildRegionalSchema());
  const result = composeServices([
    { name: 'municipality', url: SUBGRAPH_PLACEHOLDER_URLS.municipality, typeDefs: parse(municipality) },
    { name: 'regional', url: SUBGRAPH_PLACEHOLDER_URLS.regional, typeDefs: parse(regional) },
  ]);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return { municipality, regional, supergraph: result.supergraphSdl };
}

/** Exactly what a deployment answers to `{ _service { sdl } }`: the gateway compares against this. */
async function servedSdl(schema: GraphQLSchema): Promise<string> {
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string') throw new Error('the subgraph schema does not serve _service.sdl');
  return sdl;
}
