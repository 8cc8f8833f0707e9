// `npm test`: every workspace's tests in one jest run, one PostgreSQL server, one summary.
module.exports = {
  // A global option: in a multi-project run the projects' own testTimeout is ignored.
  testTimeout: 120_000,
  // Two workers even on two cores (jest's default there is one): most suites wait on the service
  // processes and databases they start, so one worker left a core idle about half the time. On the
  // 2-core CI machine the whole run went from 701 s to 419 s, every test passing.
  maxWorkers: 2,
  projects: [
    '<rootDir>/packages/errors',
    '<rootDir>/packages/solver',
    '<rootDir>/packages/auth',
    '<rootDir>/packages/identity-provider',
    '<rootDir>/packages/service-kit',
    '<rootDir>/packages/postgres',
    '<rootDir>/packages/statistics',
    '<rootDir>/packages/shard-client',
    '<rootDir>/subgraphs/municipality',
    '<rootDir>/subgraphs/regional',
    '<rootDir>/schema',
    '<rootDir>/gateway',
    '<rootDir>/infra',
    '<rootDir>/tests',
  ],
};
