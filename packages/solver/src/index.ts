export { loadSolver, runWithin, SolverError, withModel } from './highs';
export type { Highs, Model } from 'highs';
