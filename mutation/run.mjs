// `npm run mutation [-- module…]`: Stryker over the critical modules, one after another (not
// part of `npm test`: it runs the covering tests once per mutant). Modules whose tests need
// PostgreSQL share one embedded server for the whole run. Reports: reports/mutation/<module>.json
// (and Stryker's score table on stdout); docs/mutation.md records the scores and the survivors.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * Every module, whether its tests need a database, and whether a plain `npm run mutation` runs it.
 * Add one: a `<name>.stryker.mjs` beside this file, and a line here.
 */
const MODULES = {
  'shard-router': { database: false, byDefault: true },
  authorization: { database: false, byDefault: true },
  'free-places': { database: true, byDefault: true },
  'booking-lifecycle': { database: true, byDefault: true },
  'placement-requests': { database: true, byDefault: true },
  'disclosure-protection': { database: false, byDefault: true },
  'placement-saga': { database: true, byDefault: true },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in MODULES));
if (unknown.length) {
  console.error(`Unknown module(s): ${unknown.join(', ')}. Known: ${Object.keys(MODULES).join(', ')}.`);
  process.exit(2);
}
const modules = asked.length ? asked : Object.keys(MODULES).filter((name) => MODULES[name].byDefault);

let postgres;
if (modules.some((name) => MODULES[name].database) && !process.env.TEST_ADMIN_DATABASE_URL) {
  const { startEmbeddedPostgres } = require('@sodertorn/postgres');
  postgres = await startEmbeddedPostgres();
}
const env = { ...process.env, ...(postgres ? { TEST_ADMIN_DATABASE_URL: postgres.adminUrl } : {}) };

const timings = [];
let failed = false;
try {
  for (const name of modules) {
    const started = Date.now();
    const run = spawnSync(process.execPath, [resolve(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', `mutation/${name}.stryker.mjs`], {
      cwd: repo,
      env,
      stdio: 'inherit',
    });
    timings.push(`${name}: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
    if (run.status !== 0) failed = true;
  }
} finally {
  await postgres?.stop();
}
console.log(`\nMutation runs: ${timings.join(', ')}`);
process.exit(failed ? 1 : 0);
