/**
 * The matching engine's own model. Enums are string unions (not the municipal
 * subgraph's TypeScript enums) so that this module stands alone: no database,
 * no GraphQL, nothing to import from another workspace.
 */

/** Same values as the municipal subgraph's `HousingUnitKind`. */
export type HousingKind = 'PROTECTED' | 'TRAINING_FLAT' | 'EMERGENCY' | 'SUPPORTED';

/** Same values as the municipal subgraph's `Urgency`. IMMEDIATE: must move tonight. */
export type UrgencyLevel = 'IMMEDIATE' | 'HIGH' | 'NORMAL';

export const HOUSING_KINDS: readonly HousingKind[] = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'];
export const URGENCY_LEVELS: readonly UrgencyLevel[] = ['IMMEDIATE', 'HIGH', 'NORMAL'];

/** An open placement request as the region sees it: pseudonymous, a coarse needs profile only. */
export interface MatchRequest {
  /** Opaque reference, e.g. "0126:<uuid>". Unique within one batch. */
  ref: string;
  /** Kommunkod of the sending (home) municipality. */
  municipalityCode: string;
  urgency: UrgencyLevel;
  /** Days since the request was opened; 0 or more. */
  waitingDays: number;
  /** Adults and children moving together; an integer of at least 1. */
  householdSize: number;
  /** Children in the household; 0 up to householdSize. */
  children: number;
  needsWheelchairAccess: boolean;
  /** Unit kinds the caseworker accepts; at least one. */
  allowedKinds: HousingKind[];
  /**
   * Municipalities the participant must not be placed in. The caller includes
   * the home municipality; the engine excludes it again regardless.
   */
  excludedMunicipalities: string[];
  /** First day the household can move in, 'YYYY-MM-DD'. */
  earliestStart: string;
  /**
   * Expected length of stay in days: the stay is earliestStart up to, not
   * including, earliestStart + durationDays. A unit with `availableUntil` takes
   * only stays that end by then.
   */
  durationDays: number;
}

/** A housing unit with free places, without its address. */
export interface MatchUnit {
  /** Opaque reference, unique within one batch. */
  ref: string;
  /** Kommunkod of the owning municipality. */
  municipalityCode: string;
  kind: HousingKind;
  /**
   * Places free on every day from availableFrom up to availableUntil (the
   * caller counts them). A unit can host several households as long as their
   * sizes sum to at most this.
   */
  freePlaces: number;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
  /** First day the places are free, 'YYYY-MM-DD'; absent means free now. */
  availableFrom?: string;
  /**
   * First day the places are no longer counted free, 'YYYY-MM-DD'; absent
   * means open-ended. A stay must end by this day (the day of moving out may be it).
   */
  availableUntil?: string;
}

/** The named parts of a pair's score; they always sum to the score. See weights.ts. */
export interface ScoreParts {
  urgency: number;
  waiting: number;
  fit: number;
  distance: number;
}

/** One unit as an option for one request, with why it is allowed and how it scores. */
export interface RankedUnit {
  unitRef: string;
  score: number;
  parts: ScoreParts;
  /** Every hard constraint the pair satisfies, in words, e.g. "household of 3 fits 4 free places". */
  constraintsMet: string[];
  /** How each score part came about, in words, e.g. "waiting 12 days: 12". */
  scoreNotes: string[];
}

/** One proposed placement: a request placed in a unit. */
export interface Proposal extends Omit<RankedUnit, 'unitRef'> {
  requestRef: string;
  unitRef: string;
}

export type UnmatchedReason =
  /** No unit satisfies every hard constraint of the request. */
  | 'NO_FEASIBLE_UNIT'
  /** Feasible units exist, but their places go to requests that together score higher. */
  | 'CAPACITY_TAKEN';

export interface UnmatchedRequest {
  requestRef: string;
  reason: UnmatchedReason;
  /** For a coordinator: which constraint ruled the units out, or which units were full. */
  explanation: string;
}

/** How the batch was solved, for logs and for trusting the answer. */
export interface SolveStatistics {
  /** Feasible (request, unit) pairs: the variables of the full integer programme. */
  feasiblePairs: number;
  /** Columns (pairs and packing patterns) in the final restricted LP of column generation. */
  lpColumns: number;
  /** LP solves in column generation. */
  lpRounds: number;
  /** Variables in the last MIP (0 when none was needed). */
  mipColumns: number;
  /**
   * How the answer was reached: 'empty' (no feasible pair at all); 'greedy'
   * (every request got its best unit); 'lp' (an assignment met the LP bound);
   * 'mip' (a MIP over the reduced pairs closed the gap); 'unproven' (the
   * time budget ran out, or the gap stayed too wide to close: optimal is false).
   */
  method: 'empty' | 'greedy' | 'lp' | 'mip' | 'unproven';
  solveMs: number;
}

export interface MatchResult {
  proposals: Proposal[];
  unmatched: UnmatchedRequest[];
  /** Sum of the proposals' scores: what the engine maximises. */
  objective: number;
  /** True when `objective` is proven to be the maximum over all feasible assignments. */
  optimal: boolean;
  /** A proven upper bound on the maximum; equals `objective` when optimal. */
  upperBound: number;
  statistics: SolveStatistics;
}

export interface MatchOptions {
  /**
   * Wall-clock budget for the solver in milliseconds (default 10 000). When it
   * runs out the best assignment found so far is returned with optimal: false.
   */
  timeLimitMs?: number;
}
