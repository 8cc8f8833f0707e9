import { resolve } from 'node:path';

/** Where the committed schema snapshots live: the repository's schema/ folder. */
export const SCHEMA_DIR = resolve(__dirname, '..');

export const SCHEMA_FILES = {
  municipality: resolve(SCHEMA_DIR, 'municipality.graphql'),
  regional: resolve(SCHEMA_DIR, 'regional.graphql'),
  supergraph: resolve(SCHEMA_DIR, 'supergraph.graphql'),
} as const;
