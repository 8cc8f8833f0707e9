// Jest as Stryker runs it in its sandbox (a copy of the repository): the shared preset,
// required by a relative path so that its workspace mappings point into the sandbox's
// mutated sources rather than the original ones. Each module's Stryker config narrows
// `testMatch` to the tests that cover it.
const path = require('node:path');
const preset = require('../packages/testing/jest-preset');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: path.resolve(__dirname, '..'),
  // Unit-tested modules need no database. Those that do get one PostgreSQL for the whole
  // mutation run from run.mjs (TEST_ADMIN_DATABASE_URL), so the setup starts no server per mutant.
  globalSetup: undefined,
  globalTeardown: undefined,
};
