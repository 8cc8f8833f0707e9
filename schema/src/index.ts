export { composeSupergraph, SUBGRAPH_PLACEHOLDER_URLS, type ComposedSchemas } from './compose-supergraph';
export { SCHEMA_DIR, SCHEMA_FILES } from './files';
