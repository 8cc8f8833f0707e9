/**
 * The placement matching engine: pure functions over pseudonymous requests and
 * address-free units. No database, no GraphQL; the regional subgraph wires it in.
 */
export { proposePlacements, bestUnitsFor, prepareMatching } from './propose';
export { MatchingInputError } from './validate';
export { isFeasible } from './constraints';
export { SolverError } from '@sodertorn/solver';
export { WEIGHTS } from './weights';
export { roadDistanceKm, knownMunicipalities, parseRoadDistances, loadRoadDistances } from './distances';
export type {
  HousingKind,
  UrgencyLevel,
  MatchRequest,
  MatchUnit,
  MatchOptions,
  MatchResult,
  Proposal,
  RankedUnit,
  ScoreParts,
  UnmatchedRequest,
  UnmatchedReason,
  SolveStatistics,
} from './types';
