// Shared jest preset: TypeScript through swc (with decorator metadata, which
// type-graphql and MikroORM read), one real PostgreSQL for the whole run.
const path = require('node:path');

const repo = path.resolve(__dirname, '../..');
/** Tests run workspace packages from source: no build step between an edit and a test. */
const workspaceSources = {
  '@sodertorn/auth': 'packages/auth/src',
  '@sodertorn/identity-provider': 'packages/identity-provider/src',
  '@sodertorn/postgres': 'packages/postgres/src',
  '@sodertorn/service-kit': 'packages/service-kit/src',
  '@sodertorn/statistics': 'packages/statistics/src',
  '@sodertorn/shard-client': 'packages/shard-client/src',
  '@sodertorn/testing': 'packages/testing/src',
  '@sodertorn/municipality': 'subgraphs/municipality/src',
  '@sodertorn/regional': 'subgraphs/regional/src',
  '@sodertorn/schema': 'schema/src',
  '@sodertorn/gateway': 'gateway/src',
  '@sodertorn/infra': 'infra/src',
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs', ignoreDynamic: true },
      },
    ],
  },
  moduleNameMapper: Object.fromEntries(Object.entries(workspaceSources).map(([name, dir]) => [`^${name}$`, path.join(repo, dir, 'index.ts')])),
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  globalSetup: path.join(__dirname, 'global-setup.mjs'),
  globalTeardown: path.join(__dirname, 'global-teardown.mjs'),
  testTimeout: 60_000,
};
