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
  '@sodertorn/web': 'web/server',
};

/** Workspaces with a `./testing` export (package.json `exports`), the test support that production never loads. */
const testingSubpaths = ['@sodertorn/municipality', '@sodertorn/regional'];

/** TypeScript (and the ES-module-only packages below) to CommonJS. */
const swc = [
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
];
/** ES-module-only packages the web server uses (openid-client, and the jose 6 and oauth4webapi it imports): jest loads them as CommonJS. */
const esModules = ['openid-client', 'oauth4webapi'].join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${esModules})/.+\\.js$`]: swc },
  // Everything else in node_modules is taken as it is (a path inside these, e.g. openid-client's own jose, is not).
  transformIgnorePatterns: [`^(?!.*/node_modules/(${esModules})/).*/node_modules/`],
  moduleNameMapper: {
    ...Object.fromEntries(Object.entries(workspaceSources).map(([name, dir]) => [`^${name}$`, path.join(repo, dir, 'index.ts')])),
    // The test-support subpaths too: from source like the rest (one copy of each class, and a mutation
    // run's mutants reach the tests that start shards through them), not the built dist/test-support.js.
    ...Object.fromEntries(testingSubpaths.map((name) => [`^${name}/testing$`, path.join(repo, workspaceSources[name], 'test-support.ts')])),
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  globalSetup: path.join(__dirname, 'global-setup.mjs'),
  globalTeardown: path.join(__dirname, 'global-teardown.mjs'),
  testTimeout: 60_000,
};
