// The gateway on the region capacity query, this checkout against an earlier
// commit's, on the same machine in the same run (issue 16's measures): the
// throughput of the real region (bench/region-throughput.js), and the CPU and
// latency of the national what-if with 290 fake shards (bench/national-throughput.js):
//
//   git worktree add --detach ../base 6a26204 && (cd ../base && npm ci && npx turbo run build)
//   node bench/compare-commits.js ../base
//
// Each measurement runs in a fresh Node process, base and this checkout
// alternating (base, this, base, this, …), so a machine
// that slows down or speeds up during the run weighs on both alike. Writes the
// block "commit-comparison" of docs/benchmarks.md.
// Knobs: BENCH_ROUNDS (3), and those of region-throughput.js and national-throughput.js.
const path = require('node:path');
const os = require('node:os');
const { spawnSync } = require('node:child_process');
const { describeCommit, f1, goalVerdict, median, writeBlock } = require('./support');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DOC = path.join(__dirname, '..', 'docs', 'benchmarks.md');
const here = path.join(__dirname, '..');

/** One line of JSON from `script` (a measurement of its own, in a fresh process) for `checkout`. */
function measure(script, checkout) {
  const run = spawnSync(process.execPath, [path.join(__dirname, script), checkout], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout.trim().split('\n').at(-1);
  if (run.status !== 0 || !line) throw new Error(`${script} ${checkout} failed (exit ${run.status})`);
  return JSON.parse(line);
}

function main() {
  const baseDir = process.argv[2];
  if (!baseDir) {
    console.error('usage: node bench/compare-commits.js <checkout of the earlier commit, installed and built>');
    process.exit(2);
  }
  const started = new Date();
  /** @type {{ name: string, checkout: string, commit: string, runs: any[], national: any[] }[]} */
  const sides = [
    { name: 'base', checkout: path.resolve(baseDir), commit: describeCommit(path.resolve(baseDir)), runs: [], national: [] },
    { name: 'this', checkout: here, commit: describeCommit(here), runs: [], national: [] },
  ];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of sides) {
      const r = measure('region-throughput.js', side.checkout);
      side.runs.push(r);
      console.log(`round ${round} ${side.name} (${side.commit}), region: ${f1(r.rps)} rps, p95 ${f1(r.p95)} ms, errors ${r.errors}`);
      const n = measure('national-throughput.js', side.checkout);
      side.national.push(n);
      console.log(
        `round ${round} ${side.name}, national: ${f1(n.rps)} rps, p95 ${f1(n.p95)} ms, errors ${n.errors}, gateway process CPU ${f1(n.gatewayCpuMsPerRequest)} ms/request`,
      );
    }
  }
  const [base, current] = sides.map((s) => ({
    ...s,
    rps: median(s.runs.map((r) => r.rps)),
    nationalCpu: median(s.national.map((r) => r.gatewayCpuMsPerRequest)),
    nationalP95: median(s.national.map((r) => r.p95)),
  }));
  const ratio = current.rps / base.rps;
  const roundRatios = current.runs.map((r, i) => r.rps / base.runs[i].rps);
  console.log(
    `throughput ratio (medians) ${ratio.toFixed(2)}×; national gateway CPU ${f1(base.nationalCpu)} → ${f1(current.nationalCpu)} ms, p95 ${f1(base.nationalP95)} → ${f1(current.nationalP95)} ms`,
  );

  const row = (s, cells) => (r, i) => `| ${i + 1} | ${s.name} \`${s.commit}\` | ${cells(r).join(' | ')} |`;
  const regionRows = sides.flatMap((s) => s.runs.map(row(s, (r) => [r.requests, r.errors, f1(r.rps), f1(r.p50), f1(r.p95), f1(r.cpuMsPerRequest)])));
  const nationalRows = sides.flatMap((s) =>
    s.national.map(row(s, (r) => [r.requests, r.errors, f1(r.rps), f1(r.p50), f1(r.p95), f1(r.gatewayCpuMsPerRequest), f1(r.fakeShardsCpuMsPerRequest)])),
  );
  const env = (name, fallback) => process.env[name] ?? fallback;
  writeBlock(DOC, 'commit-comparison', [
    '## 6. Against an earlier commit, same machine, same run',
    '',
    'Produced by `node bench/compare-commits.js <checkout of the earlier commit>` (not part of `npm run bench`: it needs that',
    'checkout, installed and built). Each measurement runs in a fresh Node process, base and this checkout alternating, round',
    'by round, so that a machine that speeds up or slows down during the run weighs on both alike; the load generator and',
    "the fake shards are this checkout's on both sides, the services each checkout's own.",
    '',
    `- Date: ${started.toISOString()}; Node ${process.version}; ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores`,
    '',
    `**Region capacity query through the gateway** (\`bench/region-throughput.js\`: the checkout's real region — 8 seeded shards,`,
    `regional subgraph, gateway, in one process, started by its own \`bench/support.js\` — as part 1; ${env('BENCH_CONCURRENCY', 16)} in flight,`,
    `${env('BENCH_WARMUP_S', 10)} s of warm-up, then ${env('BENCH_DURATION_S', 10)} s measured):`,
    '',
    '| run | checkout | requests | errors | RPS | p50 ms | p95 ms | bench process CPU ms/request |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...regionRows,
    '',
    `- Throughput, medians: base ${f1(base.rps)} RPS, this checkout ${f1(current.rps)} RPS: **${ratio.toFixed(2)}×** — issue 16's goal ≥ 2×: ${goalVerdict(ratio, { atLeast: 2, digits: 2, unit: '×' })}.`,
    `  Round by round (each pair minutes apart): ${roundRatios.map((x) => `${x.toFixed(2)}×`).join(', ')}.`,
    '',
    `**National what-if** (\`bench/national-throughput.js\`: as part 2 (c) — 290 fake shards in a process of their own, the`,
    `checkout's gateway and regional subgraph in another, the load generator in a third; ${env('BENCH_NATIONAL_CONCURRENCY', 4)} in flight,`,
    `${env('BENCH_WARMUP_S', 10)} s of warm-up, then ${env('BENCH_NATIONAL_DURATION_S', 10)} s measured):`,
    '',
    '| run | checkout | requests | errors | RPS | p50 ms | p95 ms | gateway process CPU ms/request | fake-shard process CPU ms/request |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...nationalRows,
    '',
    `- Gateway CPU per request, medians: base ${f1(base.nationalCpu)} ms, this checkout **${f1(current.nationalCpu)} ms** (${f1((100 * (current.nationalCpu - base.nationalCpu)) / base.nationalCpu)} %) — goal ≤ 40 ms: ${goalVerdict(current.nationalCpu, { atMost: 40 })}.`,
    `- p95, medians: base ${f1(base.nationalP95)} ms, this checkout **${f1(current.nationalP95)} ms** — goal ≤ 250 ms: ${goalVerdict(current.nationalP95, { atMost: 250 })} (three busy processes on this machine's cores; part 2 (b) has one fewer).`,
  ]);
}

main();
