// Shard CPU per region capacity query (issue 16), on the compiled services.
// Writes its section of docs/benchmarks.md (the block `shard-cpu`).
//
// The eight municipal shards each run in a process of their own (bench/shard-process.js),
// the regional subgraph, the gateway and the load generator in this process. The
// shards' CPU is read from /proc/<pid>/stat before and after each measurement (no
// hook in the shard's code), summed over the eight, and divided by the requests served.
//
// Four settings, each with its own eight fresh shards: the demo seed (the README's
// region query, as in gateway.bench.js part 1), then exactly 1, 8 and 32 housing units
// per municipality, each unit with two confirmed bookings in the period, so the cost
// per housing unit is the slope between them.
//
// PostgreSQL: DATABASE_URL (a superuser URL) if set, else an embedded server.
// Knobs: BENCH_SHARD_CPU_REQUESTS (400), BENCH_SHARD_CPU_WARMUP (800), BENCH_SHARD_CPU_CONCURRENCY (4),
// BENCH_SHARD_CPU_SETTINGS (demo,1,8,32), BENCH_CPU_PROFILE_DIR (profile each shard process, see shard-process.js),
// BENCH_SHARD_CPU_BASELINE (the root of another built checkout, e.g. a `git worktree` of main: its shards are
// measured too, alternating with this checkout's, A then B, per setting and round — on a shared machine a
// before/after comparison means something only within one run), BENCH_SHARD_CPU_ROUNDS (1; 3 with a baseline).
// A fixed number of requests rather than seconds: on a busy machine a few seconds are a few
// requests, and the shards' CPU would then be mostly their JIT warming up.
const path = require('node:path');
const { REGION_QUERY, closedLoop, describeCommit, docHeader, f1, goalVerdict, postJson, startGateway, startPostgres, writeBlock } = require('./support');
const { processCpuMs, startShardProcess } = require('./shard-process');

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const REQUESTS = num('BENCH_SHARD_CPU_REQUESTS', 400);
// A shard in service answers for weeks; what it costs then is its cost once V8 has optimised the
// hot paths. 50 requests of warm-up (each shard sees one per region query) measured mostly the JIT:
// the same commit gave 19.2 ms after 50 and 9.5 ms after 800 (2026-12-06, docs/benchmarks.md).
const WARMUP = num('BENCH_SHARD_CPU_WARMUP', 800);
const CONCURRENCY = num('BENCH_SHARD_CPU_CONCURRENCY', 4);
const DOC = path.join(__dirname, '..', 'docs', 'benchmarks.md');
const SETTINGS = (process.env.BENCH_SHARD_CPU_SETTINGS ?? 'demo,1,8,32').split(',').map((s) => (s === 'demo' ? s : Number(s)));
const BASELINE = process.env.BENCH_SHARD_CPU_BASELINE ? path.resolve(process.env.BENCH_SHARD_CPU_BASELINE) : undefined;
const ROUNDS = num('BENCH_SHARD_CPU_ROUNDS', BASELINE ? 3 : 1);
/** What is measured: this checkout's shards, and the baseline's first in each round when there is one. */
const VARIANTS = BASELINE
  ? [
      { name: 'baseline', checkout: BASELINE },
      { name: 'this checkout', checkout: undefined },
    ]
  : [{ name: 'this checkout', checkout: undefined }];

const usageMs = (u) => (u.user + u.system) / 1000;

async function measureSetting(units, token, registryMembers, checkout) {
  const { startTestRegional } = require('@sodertorn/regional/testing');
  const cleanups = [];
  try {
    const shards = await Promise.all(
      registryMembers.map(async (m) => {
        const shard = await startShardProcess(m.code, units, checkout);
        cleanups.push(shard.stop);
        return shard;
      }),
    );
    const registry = registryMembers.map((m, i) => ({ ...m, url: shards[i].url }));
    const regional = await startTestRegional(registry);
    cleanups.push(() => regional.destroy());
    const gateway = await startGateway(regional.url, registry);
    cleanups.push(() => gateway.close());
    const query = async () => (await postJson(gateway.url, token, REGION_QUERY)).region.municipalities;
    const answer = await query();
    const answerUnits = answer.reduce((n, m) => n + m.housingUnits.length, 0);
    const heldUnits = shards.reduce((n, s) => n + s.units, 0);
    if (answer.length !== shards.length || answerUnits !== heldUnits)
      throw new Error(`answer has ${answer.length} municipalities and ${answerUnits} units; the shards hold ${heldUnits}`);
    await closedLoop(query, { concurrency: CONCURRENCY, requests: WARMUP });
    const shardCpu = () => shards.reduce((sum, s) => sum + processCpuMs(s.pid), 0);
    const before = { shards: shardCpu(), bench: usageMs(process.cpuUsage()) };
    const r = await closedLoop(query, { concurrency: CONCURRENCY, requests: REQUESTS });
    const after = { shards: shardCpu(), bench: usageMs(process.cpuUsage()) };
    return {
      units: answerUnits,
      load: require('node:os').loadavg()[0],
      ...r,
      shardMsPerRequest: (after.shards - before.shards) / r.requests,
      benchMsPerRequest: (after.bench - before.bench) / r.requests,
    };
  } finally {
    while (cleanups.length)
      await cleanups
        .pop()?.()
        .catch(() => undefined);
  }
}

async function main() {
  const started = new Date();
  const postgres = await startPostgres();
  const results = [];
  try {
    const { Role } = require('@sodertorn/auth');
    const { loadRegistry } = require('@sodertorn/service-kit');
    const { tokenFor } = require('@sodertorn/testing');
    const token = await tokenFor(Role.COORDINATOR, undefined, 'bench-coordinator');
    const members = loadRegistry();
    for (let round = 1; round <= ROUNDS; round++)
      for (const units of SETTINGS)
        for (const variant of VARIANTS) {
          const r = await measureSetting(units, token, members, variant.checkout);
          results.push({ setting: units, variant: variant.name, round, ...r });
          console.log(
            `round ${round}, ${variant.name}, ${settingName(units)}: ${r.units} units, ${r.requests} requests (${r.errors} errors), ${f1(r.rps)} rps, shard CPU ${r.shardMsPerRequest.toFixed(2)} ms/request, bench process ${r.benchMsPerRequest.toFixed(2)} ms/request, load ${r.load.toFixed(1)}`,
          );
        }
  } finally {
    await postgres.stop().catch(() => undefined);
  }
  writeDoc({
    started,
    postgres: postgres.description,
    results,
    commits: { 'this checkout': describeCommit(), baseline: BASELINE && describeCommit(BASELINE) },
  });
  console.log(`wrote the shard-cpu section of ${path.relative(process.cwd(), DOC)}`);
}

/** The median, of an even number of values the mean of the middle two (support's median takes the upper one). */
const middle = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
};

const settingName = (setting) => (setting === 'demo' ? 'demo seed' : `${setting} units/municipality`);

function writeDoc({ started, postgres, results, commits }) {
  const lines = [];
  const out = (s = '') => lines.push(s);
  out('## 5. Shard CPU per region capacity query');
  out();
  // The shared header without its '# title' line: this is a section of the gateway bench's document.
  docHeader({ title: '', benchFile: __filename, started, postgres })
    .slice(2)
    .filter((line) => line !== '')
    .forEach((line) => out(line.replace('; this file is', '; this section is')));
  out(`- Commit: ${commits['this checkout']}${commits.baseline ? `; baseline (A): ${commits.baseline}, alternating with it` : ''}`);
  out(
    `- Settings: ${CONCURRENCY} requests in flight, ${WARMUP} requests of warm-up then ${REQUESTS} measured, per setting${ROUNDS > 1 ? `; ${ROUNDS} rounds` : ''}`,
  );
  out();
  out('```graphql');
  out(REGION_QUERY);
  out('```');
  out();
  out('Through the gateway with a COORDINATOR token. Each of the eight municipal shards runs in a **process of its own**');
  out('(`bench/shard-process.js`, the real server on its own database, with `NODE_ENV=production` as in the image); the');
  out('regional subgraph, the gateway and the load generator share the bench process. Shard CPU is user + system time from');
  out("each shard process's `/proc/<pid>/stat` (10 ms ticks), summed over the eight, over the measured requests, per request.");
  out('"demo seed" is the README\'s region (5–15 units per municipality); the other rows hold exactly 1, 8 and 32 AVAILABLE');
  out('units per municipality, each with two confirmed bookings in the period.');
  if (commits.baseline) {
    out('With a baseline, each setting of each round starts eight fresh shards of the baseline checkout (A), measures them,');
    out("then does the same with this checkout's (B): A and B see nearly the same load, which a comparison between runs would not.");
  }
  out();
  out('The machine may be shared: its 1-minute load average at the end of each setting is given, as CPU time per request grows');
  out('when many processes compete for its cores (caches, context switches), though far less than wall time does.');
  out();
  out(
    '| round | shards | setting | units in the answer | requests | errors | RPS | p50 ms | shard CPU ms/request (sum of 8) | bench process CPU ms/request | load average |',
  );
  out('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    out(
      `| ${r.round} | ${r.variant} | ${settingName(r.setting)} | ${r.units} | ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${r.shardMsPerRequest.toFixed(1)} | ${r.benchMsPerRequest.toFixed(1)} | ${r.load.toFixed(1)} |`,
    );
  out();
  const variants = [...new Set(results.map((r) => r.variant))];
  /** The median over rounds of one variant's shard CPU per request in one setting, with its units. */
  const medianOf = (variant, setting) => {
    const rows = results.filter((r) => r.variant === variant && r.setting === setting);
    return rows.length ? { units: rows[0].units, ms: middle(rows.map((r) => r.shardMsPerRequest)) } : undefined;
  };
  if (variants.length > 1 || ROUNDS > 1) {
    out(`Medians over the rounds, shard CPU ms per request (sum of 8):`);
    out();
    out(`| setting | ${variants.join(' | ')} |`);
    out(`|---|${variants.map(() => '---:').join('|')}|`);
    for (const setting of SETTINGS) out(`| ${settingName(setting)} | ${variants.map((v) => medianOf(v, setting)?.ms.toFixed(1) ?? '').join(' | ')} |`);
    out();
  }
  for (const variant of variants) {
    const who = variants.length > 1 ? ` (${variant}${ROUNDS > 1 ? ', medians' : ''})` : ROUNDS > 1 ? ' (medians)' : '';
    const one = medianOf(variant, 1);
    const many = medianOf(variant, 32);
    const demo = medianOf(variant, 'demo');
    if (one && many) {
      const perUnit = (many.ms - one.ms) / (many.units - one.units);
      out(
        `- Cost per housing unit${who} (slope from 1 to 32 units per municipality): **${perUnit.toFixed(3)} ms** of shard CPU — goal ≤ 0.1 ms: ${goalVerdict(perUnit, { atMost: 0.1, digits: 3 })}.`,
      );
    }
    if (demo) out(`- Demo region${who}: **${demo.ms.toFixed(1)} ms** of shard CPU per request — goal ≤ 12 ms: ${goalVerdict(demo.ms, { atMost: 12 })}.`);
  }
  writeBlock(DOC, 'shard-cpu', lines);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
