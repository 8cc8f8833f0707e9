// `npm run bench`: runs every bench/*.bench.js, each in its own Node process
// (a cold start is part of what they measure), one after the other.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const only = process.argv[2];
const benches = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.js') && (!only || name.includes(only)))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name}`);
  const { status } = spawnSync(process.execPath, [path.join(__dirname, name)], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${name} failed (exit ${status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
