import { readFileSync } from 'node:fs';

/** One registered operation of Apollo's persisted-query manifest format. */
export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** The web app's operations by id, as `npm run build` wrote them (web/persisted-operations.json). */
export function loadPersistedOperations(file: string): Map<string, PersistedOperation> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; version?: number; operations?: PersistedOperation[] };
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`${file} is no persisted-query manifest (format apollo-persisted-query-manifest, version 1)`);
  }
  return new Map(manifest.operations.map((o) => [o.id, o]));
}
