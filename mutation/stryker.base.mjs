// What every module's mutation run shares. The machine is shared: two test processes at most.

/**
 * One module's Stryker options: the files it mutates and the tests that cover them
 * (paths from the repository root; jest `testMatch` globs under `<rootDir>`).
 * `timeoutMS` is added to `timeoutFactor` × the covering tests' own time, which leaves out a test
 * file's `beforeAll` (starting shards): a module whose tests start shards needs room for that here.
 * @param {{ name: string, mutate: string[], tests: string[], timeoutMS?: number, timeoutFactor?: number }} module
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function moduleOptions({ name, mutate, tests, timeoutMS = 10_000, timeoutFactor = 1.5 }) {
  return {
    testRunner: 'jest',
    jest: {
      projectType: 'custom',
      configFile: 'mutation/jest.config.js',
      config: { testMatch: tests.map((test) => `<rootDir>/${test}`) },
      enableFindRelatedTests: false,
    },
    mutate,
    coverageAnalysis: 'perTest',
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    timeoutMS,
    timeoutFactor,
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    // A sandbox folder per module, so that two modules can run side by side without copying each other's.
    ignorePatterns: ['.data', 'dist', '.turbo', 'coverage', 'reports', 'bench', 'docs', '.stryker-tmp*'],
    tempDirName: `.stryker-tmp-${name}`,
    cleanTempDir: 'always',
    thresholds: { high: 95, low: 90, break: null },
  };
}
