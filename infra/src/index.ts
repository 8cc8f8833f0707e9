export { startLocalRegion, type LocalRegion } from './local-region';
export { loadRunnerConfig, type RunnerConfig } from './config';
export { prepareRegionDatabases } from './databases';
export { readRegionFile, REGION_FILE } from './region-file';
