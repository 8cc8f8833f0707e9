// Gateway throughput on the region capacity query, this checkout against an
// earlier commit's, on the same machine in the same run (issue 16's measure):
//
//   git worktree add --detach ../base 6a26204 && (cd ../base && npm ci && npx turbo run build)
//   node bench/compare-commits.js ../base
//
// Each measurement is bench/region-throughput.js in a fresh Node process,
// base and this checkout alternating (base, this, base, this, …), so a machine
// that slows down or speeds up during the run weighs on both alike. Writes the
// block "commit-comparison" of docs/benchmarks.md.
// Knobs: BENCH_ROUNDS (3), and those of region-throughput.js.
const path = require('node:path');
const os = require('node:os');
const { execFileSync, spawnSync } = require('node:child_process');
const { f1, median, writeBlock } = require('./support');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DOC = path.join(__dirname, '..', 'docs', 'benchmarks.md');
const here = path.join(__dirname, '..');

/** The commit of a checkout, and whether it has changes not committed. */
function describe(checkout) {
  const git = (...args) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
}

function measure(checkout) {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'region-throughput.js'), checkout], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout.trim().split('\n').at(-1);
  if (run.status !== 0 || !line) throw new Error(`region-throughput.js ${checkout} failed (exit ${run.status})`);
  return JSON.parse(line);
}

function main() {
  const baseDir = process.argv[2];
  if (!baseDir) {
    console.error('usage: node bench/compare-commits.js <checkout of the earlier commit, installed and built>');
    process.exit(2);
  }
  const started = new Date();
  /** @type {{ name: string, checkout: string, commit: string, runs: any[] }[]} */
  const sides = [
    { name: 'base', checkout: path.resolve(baseDir), commit: describe(path.resolve(baseDir)), runs: [] },
    { name: 'this', checkout: here, commit: describe(here), runs: [] },
  ];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of sides) {
      const r = measure(side.checkout);
      side.runs.push(r);
      console.log(
        `round ${round} ${side.name} (${side.commit}): ${f1(r.rps)} rps, p50 ${f1(r.p50)} ms, p95 ${f1(r.p95)} ms, errors ${r.errors}, bench process CPU ${f1(r.cpuMsPerRequest)} ms/request`,
      );
    }
  }
  const [base, current] = sides.map((s) => ({ ...s, rps: median(s.runs.map((r) => r.rps)) }));
  const ratio = current.rps / base.rps;
  console.log(`throughput ratio (medians): ${ratio.toFixed(2)}×`);

  const rows = sides.flatMap((s) =>
    s.runs.map(
      (r, i) =>
        `| ${i + 1} | ${s.name} \`${s.commit}\` | ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.cpuMsPerRequest)} |`,
    ),
  );
  writeBlock(DOC, 'commit-comparison', [
    '## 6. Gateway throughput against an earlier commit, same machine, same run',
    '',
    'Produced by `node bench/compare-commits.js <checkout of the earlier commit>` (not part of `npm run bench`: it needs that',
    "checkout, installed and built). Each measurement is `bench/region-throughput.js` in a fresh Node process: the checkout's",
    "own region (8 seeded shards, regional subgraph, gateway, started by its own `bench/support.js`) under this checkout's",
    `closed loop, the region capacity query of part 1 through the gateway, ${process.env.BENCH_CONCURRENCY ?? 16} in flight,`,
    `${process.env.BENCH_WARMUP_S ?? 10} s of warm-up, then ${process.env.BENCH_DURATION_S ?? 10} s measured; base and this checkout alternating.`,
    '',
    `- Date: ${started.toISOString()}; Node ${process.version}; ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores`,
    '',
    '| run | checkout | requests | errors | RPS | p50 ms | p95 ms | bench process CPU ms/request |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `- Throughput, medians: base ${f1(base.rps)} RPS, this checkout ${f1(current.rps)} RPS: **${ratio.toFixed(2)}×** — issue 16's goal ≥ 2×: ${ratio >= 2 ? 'met' : '**not met**'}.`,
  ]);
}

main();
