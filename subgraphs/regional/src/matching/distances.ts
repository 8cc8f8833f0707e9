/**
 * Approximate road distances in km between municipal centres: the eight
 * Södertörn members and the threat areas that requests most often exclude
 * (0180 Stockholm, 0380 Uppsala, 1480 Göteborg). Only used to rank options
 * (see weights.ts), never as a constraint, so rounded figures are enough; a
 * code missing here simply earns no distance points.
 */
const ROAD_KM: ReadonlyArray<readonly [string, string, number]> = [
  // 0126 Huddinge
  ['0126', '0127', 12],
  ['0126', '0128', 18],
  ['0126', '0136', 13],
  ['0126', '0138', 14],
  ['0126', '0140', 45],
  ['0126', '0181', 30],
  ['0126', '0192', 50],
  ['0126', '0180', 17],
  ['0126', '0380', 85],
  ['0126', '1480', 460],
  // 0127 Botkyrka
  ['0127', '0128', 7],
  ['0127', '0136', 22],
  ['0127', '0138', 27],
  ['0127', '0140', 35],
  ['0127', '0181', 17],
  ['0127', '0192', 50],
  ['0127', '0180', 22],
  ['0127', '0380', 90],
  ['0127', '1480', 450],
  // 0128 Salem
  ['0128', '0136', 28],
  ['0128', '0138', 32],
  ['0128', '0140', 28],
  ['0128', '0181', 13],
  ['0128', '0192', 55],
  ['0128', '0180', 28],
  ['0128', '0380', 95],
  ['0128', '1480', 445],
  // 0136 Haninge
  ['0136', '0138', 12],
  ['0136', '0140', 55],
  ['0136', '0181', 40],
  ['0136', '0192', 35],
  ['0136', '0180', 22],
  ['0136', '0380', 95],
  ['0136', '1480', 470],
  // 0138 Tyresö
  ['0138', '0140', 60],
  ['0138', '0181', 45],
  ['0138', '0192', 45],
  ['0138', '0180', 18],
  ['0138', '0380', 90],
  ['0138', '1480', 475],
  // 0140 Nykvarn
  ['0140', '0181', 18],
  ['0140', '0192', 75],
  ['0140', '0180', 50],
  ['0140', '0380', 110],
  ['0140', '1480', 430],
  // 0181 Södertälje
  ['0181', '0192', 60],
  ['0181', '0180', 35],
  ['0181', '0380', 100],
  ['0181', '1480', 440],
  // 0192 Nynäshamn
  ['0192', '0180', 60],
  ['0192', '0380', 130],
  ['0192', '1480', 500],
  // threat areas among themselves
  ['0180', '0380', 70],
  ['0180', '1480', 470],
  ['0380', '1480', 450],
];

const table = new Map<string, number>();
for (const [a, b, km] of ROAD_KM) {
  table.set(`${a}-${b}`, km);
  table.set(`${b}-${a}`, km);
}

/** Road distance between two municipalities' centres, or undefined when the table does not know the pair. */
export function roadDistanceKm(from: string, to: string): number | undefined {
  if (from === to) return 0;
  return table.get(`${from}-${to}`);
}

/** Every municipality code the table knows. */
export const KNOWN_MUNICIPALITIES: readonly string[] = [...new Set(ROAD_KM.flatMap(([a, b]) => [a, b]))].sort();

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
