import type { Role } from '@sodertorn/auth';
import { municipalityPolicy } from '@sodertorn/municipality';
import { regionalPolicy } from '@sodertorn/regional';
import { isAllowed, type FieldRule } from '@sodertorn/service-kit';

/** Fields the regional subgraph answers (the rest come from the municipality's own deployment). */
const REGIONAL_FIELDS = new Set([
  'Query.region', 'Query.placements', 'Query.placement', 'Region.name', 'Region.municipalities', 'Region.municipality', 'Municipality.name', 'Municipality.code',
  'Mutation.offerPlacement', 'Mutation.acceptPlacement', 'Mutation.declinePlacement', 'Mutation.recordPlacementMoveIn', 'Mutation.endPlacement',
  'Mutation.cancelPlacement', 'Mutation.reconcilePlacements', 'Mutation.proposePlacements', 'Query.bestUnitsFor',
  'Query.statistics', 'Mutation.releaseStatistics',
  ...['dataset', 'measure', 'dimension', 'year', 'release', 'municipalitiesCovered', 'municipalitiesMissing', 'threshold', 'cells', 'rowTotals', 'columnTotals', 'releasedAt'].map((f) => `StatisticsTable.${f}`),
  ...['period', 'category', 'value', 'suppressed', 'reason'].map((f) => `StatisticsCell.${f}`),
]);

/** The rule of one client-facing field, from the policy of the subgraph that resolves it. */
export function ruleOf(type: string, field: string): FieldRule | undefined {
  const policy = REGIONAL_FIELDS.has(`${type}.${field}`) ? regionalPolicy : municipalityPolicy;
  return policy[type]?.[field];
}

export interface Caller {
  label: string;
  roles: Role[];
  municipality?: string;
  /** The municipality whose data the caller asks for. */
  target: string;
}

/**
 * Whether the policy lets this caller reach and read `type.field` in the target municipality
 * without conditions (conditional grants, such as a placed caseworker's street address, hold for no seeded data).
 */
export function policyAllows(caller: Caller, chain: readonly (readonly [string, string])[]): boolean {
  const context = { identity: { sub: 'x', roles: caller.roles, municipality: caller.municipality, token: '' }, municipalityCode: caller.target };
  return chain.every(([type, field]) => isAllowed(ruleOf(type, field), context));
}
