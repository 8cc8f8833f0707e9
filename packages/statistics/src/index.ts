export {
  MODULUS,
  devPairwiseSeed,
  maskVector,
  prf,
  sumMasked,
  x25519PairwiseSeeds,
  type PairwiseSeeds,
} from './secure-aggregation';
export {
  DEFAULT_THRESHOLD,
  DisclosureError,
  MIN_RANGE,
  MIN_THRESHOLD,
  RANGE_TOLERANCE,
  feasibleRange,
  protectTable,
  type FeasibleRange,
  type ProtectTableOptions,
  type ProtectedCell,
  type ProtectedTable,
  type SuppressionReason,
} from './disclosure-control';
export {
  QUARTERS,
  STATISTICS_DATASETS,
  STATISTICS_LAYOUT_VERSION,
  datasetTable,
  periodLabel,
  statisticsDataset,
  statisticsVectorLength,
  toStatisticsVector,
  type StatisticsCount,
  type StatisticsDataset,
} from './layout';
export { releaseTable, type ReleaseReason, type ReleasedCell, type ReleasedTable } from './release';
