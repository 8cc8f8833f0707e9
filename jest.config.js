// `npm test`: every workspace's tests in one jest run, one PostgreSQL server, one summary.
module.exports = {
  // A global option: in a multi-project run the projects' own testTimeout is ignored.
  testTimeout: 120_000,
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
