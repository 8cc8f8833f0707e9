import { ConfigError, z } from '@sodertorn/service-kit';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Approximate road distances between municipal centres come from data, not code: the table in
 * ROAD_DISTANCES_FILE (default `infra/road-distances.json`, beside the member registry). Only
 * used to rank options (see weights.ts), never as a constraint, so rounded figures are enough; a
 * code missing there simply earns no distance points. A ninth member adds its rows to the file.
 */
export const DEFAULT_ROAD_DISTANCES_FILE = resolve(__dirname, '../../../../infra/road-distances.json');

const fileShape = z.object({
  description: z.string().optional(),
  roadKm: z.array(
    z.tuple([
      z.string().regex(/^\d{4}$/, 'must be a four-digit kommunkod'),
      z.string().regex(/^\d{4}$/, 'must be a four-digit kommunkod'),
      z.number().int().positive('must be a whole number of km, more than 0'),
    ]),
  ),
});

/** Reads and checks a road distance table; each problem names its row. */
export function parseRoadDistances(json: unknown, where: string): Map<string, number> {
  const parsed = fileShape.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(
      'regional subgraph',
      parsed.error.issues.map((i) => `${where}: ${i.path.join('.')}: ${i.message}`),
    );
  const table = new Map<string, number>();
  for (const [a, b, km] of parsed.data.roadKm) {
    table.set(`${a}-${b}`, km);
    table.set(`${b}-${a}`, km);
  }
  return table;
}

let loaded: Map<string, number> | undefined;
/** The table, read once; the regional subgraph calls this at start so a bad file stops it there. */
export function loadRoadDistances(): Map<string, number> {
  loaded ??= parseRoadDistances(
    JSON.parse(readFileSync(process.env.ROAD_DISTANCES_FILE || DEFAULT_ROAD_DISTANCES_FILE, 'utf8')),
    process.env.ROAD_DISTANCES_FILE ? 'ROAD_DISTANCES_FILE' : DEFAULT_ROAD_DISTANCES_FILE,
  );
  return loaded;
}

/** Road distance between two municipalities' centres, or undefined when the table does not know the pair. */
export function roadDistanceKm(from: string, to: string): number | undefined {
  if (from === to) return 0;
  return loadRoadDistances().get(`${from}-${to}`);
}

/** Every municipality code the table knows. */
export function knownMunicipalities(): string[] {
  return [...new Set([...loadRoadDistances().keys()].flatMap((pair) => pair.split('-')))].sort();
}

/**
 * Distance from `unitMunicipality` to the nearest of `threats` that the table
 * knows, with that threat's code; undefined when none is known.
 */
export function nearestThreat(unitMunicipality: string, threats: Iterable<string>): { code: string; km: number } | undefined {
  let best: { code: string; km: number } | undefined;
  for (const code of threats) {
    const km = roadDistanceKm(unitMunicipality, code);
    if (km !== undefined && (best === undefined || km < best.km || (km === best.km && code < best.code))) best = { code, km };
  }
  return best;
}
