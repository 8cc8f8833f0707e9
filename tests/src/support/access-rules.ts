import type { Role } from '@sodertorn/auth';
import { tableAllows, type Subgraph } from '@sodertorn/testing';

/** Fields the regional subgraph answers (the rest come from the municipality's own deployment). */
const REGIONAL_FIELDS = new Set([
  'Query.region',
  'Query.placements',
  'Query.placement',
  'PlacementRequest.placements',
  'Region.name',
  'Region.municipalities',
  'Region.municipality',
  'Municipality.name',
  'Municipality.code',
  'Mutation.offerPlacement',
  'Mutation.acceptPlacement',
  'Mutation.declinePlacement',
  'Mutation.recordPlacementMoveIn',
  'Mutation.endPlacement',
  'Mutation.cancelPlacement',
  'Mutation.reconcilePlacements',
  'Mutation.proposePlacements',
  'Query.bestUnitsFor',
  'Query.statistics',
  'Mutation.releaseStatistics',
  'Mutation.forgetCulledPlacementRequests',
  ...[
    'dataset',
    'measure',
    'dimension',
    'year',
    'release',
    'municipalitiesCovered',
    'municipalitiesMissing',
    'threshold',
    'cells',
    'rowTotals',
    'columnTotals',
    'releasedAt',
  ].map((f) => `StatisticsTable.${f}`),
  ...['period', 'category', 'value', 'suppressed', 'reason'].map((f) => `StatisticsCell.${f}`),
]);

/** The subgraph that resolves a client-facing field. */
const subgraphOf = (type: string, field: string): Subgraph => (REGIONAL_FIELDS.has(`${type}.${field}`) ? 'regional' : 'municipal');

export interface Caller {
  label: string;
  roles: Role[];
  municipality?: string;
  /** The municipality whose data the caller asks for. */
  target: string;
}

/**
 * Whether the README's role table (`@sodertorn/testing`'s role-table, not the access policies)
 * lets this caller reach and read every field of the chain in the target municipality without
 * conditions (conditional grants, such as a placed caseworker's street address, hold for no seeded data).
 */
export function tableAllowsChain(caller: Caller, chain: readonly (readonly [string, string])[]): boolean {
  return chain.every(([type, field]) => tableAllows(subgraphOf(type, field), caller, caller.target, type, field));
}
