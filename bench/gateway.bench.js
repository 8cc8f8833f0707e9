// Gateway benchmarks, on the compiled services (npm run bench builds first),
// plain node, no jest. Writes docs/benchmarks.md.
//
// 1. The region capacity query through the gateway vs a hand-written client
//    that asks the eight real shards directly and in parallel (same token,
//    same answer size): closed loop, fixed concurrency, A/B/A/B/A/B.
// 2. National what-if: the same query over 290 simulated municipal shards
//    (tiny in-process HTTP servers answering instantly) behind the real gateway
//    and the real regional subgraph.
// 3. Memory of the bench process (which hosts the gateway, the shards and the
//    load generator) under sustained load of (1).
// 4. The matching figures, from bench/matching.bench.js in a child process.
//
// PostgreSQL: DATABASE_URL (a superuser URL) if set, else an embedded server.
// Knobs: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_RUNS (3),
// BENCH_CONCURRENCY (16), BENCH_NATIONAL_CONCURRENCY (4), BENCH_MEMORY_S (25),
// BENCH_REFERENCE (passed to the matching bench; default here 0).
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { f1, mb, median, percentile, postJson, startGateway, startPostgres, startRegion } = require('./support');

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const DURATION_S = num('BENCH_DURATION_S', 10);
const WARMUP_S = num('BENCH_WARMUP_S', 2);
const RUNS = num('BENCH_RUNS', 3);
const CONCURRENCY = num('BENCH_CONCURRENCY', 16);
const NATIONAL_CONCURRENCY = num('BENCH_NATIONAL_CONCURRENCY', 4);
const NATIONAL_DURATION_S = num('BENCH_NATIONAL_DURATION_S', 10);
const MEMORY_S = num('BENCH_MEMORY_S', 25);
const UNLOADED_S = num('BENCH_UNLOADED_S', 5);
const NATIONAL_SHARDS = 290;
const FROM = '2026-12-01';
const TO = '2026-12-15';
const DOC = path.join(__dirname, '..', 'docs', 'benchmarks.md');

const UNIT_FIELDS = `id kind places freePlaces(from: "${FROM}", to: "${TO}")`;
const REGION_QUERY = `{ region { municipalities { code housingUnits { ${UNIT_FIELDS} } } } }`;
const shardQuery = (code) => `{ myMunicipality(municipalityCode: "${code}") { housingUnits { ${UNIT_FIELDS} } } }`;

/** Closed loop: `concurrency` workers each issue the next request when the last one finished. */
async function closedLoop(operation, { concurrency, seconds }) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await operation();
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    firstError: firstError && String(firstError.message ?? firstError).slice(0, 300),
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

async function measure(operation, concurrency, seconds) {
  if (WARMUP_S > 0) await closedLoop(operation, { concurrency, seconds: WARMUP_S });
  return closedLoop(operation, { concurrency, seconds });
}

const countUnits = (municipalities) => municipalities.reduce((n, m) => n + (m.housingUnits?.length ?? 0), 0);

// ---------------------------------------------------------------- 2: fake shards

function fakeUnits(code) {
  return Array.from({ length: 10 }, (_, i) => ({
    __typename: 'HousingUnit',
    municipalityCode: code,
    id: `${code}-u${i}`,
    kind: ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'][i % 4],
    places: 2 + (i % 4),
    freePlaces: i % 3,
  }));
}

/** A municipal shard stand-in: `_service { sdl }` and `_entities` for Municipality, answered at once. */
function startFakeShard(code, sdl) {
  const units = fakeUnits(code);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let data;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const query = String(body.query ?? '');
        if (query.includes('_service')) data = { _service: { sdl } };
        else if (query.includes('_entities')) {
          const reps = body.variables?.representations ?? [];
          data = { _entities: reps.map((r) => ({ __typename: 'Municipality', code: r.code, housingUnits: units })) };
        } else data = null;
      } catch {
        data = null;
      }
      const payload = JSON.stringify(data ? { data } : { errors: [{ message: 'fake shard: unsupported operation' }] });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/graphql`, close: () => new Promise((r) => server.close(r)) })),
  );
}

// ---------------------------------------------------------------- main

async function main() {
  const report = { started: new Date(), notes: [], notRun: [] };
  let postgres;
  const cleanups = [];
  try {
    postgres = await startPostgres();
    report.postgres = postgres.description;
    // Loaded after TEST_ADMIN_DATABASE_URL is set: the test support provisions databases through it.
    const { startTestRegional } = require('@sodertorn/regional');
    const { SCHEMA_FILES } = require('@sodertorn/schema');
    const { Role } = require('@sodertorn/auth');
    const { tokenFor } = require('@sodertorn/testing');
    const municipalitySdl = readFileSync(SCHEMA_FILES.municipality, 'utf8');
    // One DevIssuer (in a temp dir, per process) signs every token and backs every verifier, as in the tests.
    const token = await tokenFor(Role.COORDINATOR, undefined, 'bench-coordinator');

    // ------------------------------------------------------------ 1 + 3: the real region
    console.log('starting the region: 8 shards (seeded), regional, gateway …');
    let t = performance.now();
    const region = await startRegion();
    cleanups.push(() => region.destroy());
    const { registry, gateway } = region;
    console.log(`region up in ${(performance.now() - t) / 1000 | 0} s`);

    const viaGateway = async () => (await postJson(gateway.url, token, REGION_QUERY)).region.municipalities;
    const direct = async () =>
      Promise.all(registry.map(async (m) => ({ code: m.code, housingUnits: (await postJson(m.url, token, shardQuery(m.code))).myMunicipality.housingUnits })));
    const a = await viaGateway();
    const b = await direct();
    report.answer = { municipalities: a.length, unitsGateway: countUnits(a), unitsDirect: countUnits(b), bytes: JSON.stringify(a).length };
    if (report.answer.unitsGateway !== report.answer.unitsDirect) throw new Error(`answers differ: ${JSON.stringify(report.answer)}`);
    console.log(`answer: ${a.length} municipalities, ${report.answer.unitsGateway} housing units each way`);

    report.ab = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const [name, op] of [['gateway', viaGateway], ['direct', direct]]) {
        const r = await measure(op, CONCURRENCY, DURATION_S);
        report.ab.push({ run, name, ...r });
        console.log(`run ${run} ${name.padEnd(7)}: ${f1(r.rps)} rps, p50 ${f1(r.p50)} ms, p95 ${f1(r.p95)} ms, p99 ${f1(r.p99)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`);
      }
    }
    // The same A/B with one request in flight: the per-request overhead without queueing.
    report.unloaded = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const [name, op] of [['gateway', viaGateway], ['direct', direct]]) {
        const r = await measure(op, 1, UNLOADED_S);
        report.unloaded.push({ run, name, ...r });
        console.log(`unloaded run ${run} ${name.padEnd(7)}: ${f1(r.rps)} rps, p50 ${f1(r.p50)} ms, p95 ${f1(r.p95)} ms, p99 ${f1(r.p99)} ms, errors ${r.errors}`);
      }
    }
    writeDoc(report);

    // 3: memory during a sustained run of (1) through the gateway.
    global.gc?.();
    const samples = [];
    const sample = () => { const m = process.memoryUsage(); samples.push({ t: samples.length, rss: m.rss, heapUsed: m.heapUsed }); };
    sample();
    const timer = setInterval(sample, 1000);
    const sustained = await closedLoop(viaGateway, { concurrency: CONCURRENCY, seconds: MEMORY_S });
    clearInterval(timer);
    sample();
    report.memory = { samples, sustained };
    console.log(`memory: rss ${mb(samples[0].rss)} → peak ${mb(Math.max(...samples.map((s) => s.rss)))} → ${mb(samples.at(-1).rss)}; heapUsed ${mb(samples[0].heapUsed)} → peak ${mb(Math.max(...samples.map((s) => s.heapUsed)))} → ${mb(samples.at(-1).heapUsed)}`);
    writeDoc(report);

    // Free the real region before the national run.
    while (cleanups.length) await cleanups.pop()();

    // ------------------------------------------------------------ 2: 290 simulated shards
    try {
      console.log(`starting ${NATIONAL_SHARDS} fake shards, regional (real, on PostgreSQL), gateway …`);
      t = performance.now();
      const codes = Array.from({ length: NATIONAL_SHARDS }, (_, i) => String(1000 + i * 31).padStart(4, '0'));
      const fakes = [];
      for (const code of codes) fakes.push(await startFakeShard(code, municipalitySdl));
      cleanups.push(() => Promise.all(fakes.map((s) => s.close())));
      const nationalRegistry = codes.map((code, i) => ({ code, name: `Kommun ${code}`, url: fakes[i].url }));
      const nationalRegional = await startTestRegional(nationalRegistry);
      cleanups.push(() => nationalRegional.destroy());
      const nationalGateway = await startGateway(nationalRegional.url, nationalRegistry);
      cleanups.push(() => nationalGateway.close());
      console.log(`national set-up in ${(performance.now() - t) / 1000 | 0} s`);
      const national = async () => (await postJson(nationalGateway.url, token, REGION_QUERY)).region.municipalities;
      const first = await national();
      report.nationalAnswer = { municipalities: first.length, units: countUnits(first), bytes: JSON.stringify(first).length };
      if (first.length !== NATIONAL_SHARDS) throw new Error(`national answer has ${first.length} municipalities`);
      const r = await measure(national, NATIONAL_CONCURRENCY, NATIONAL_DURATION_S);
      report.national = r;
      console.log(`national: ${f1(r.rps)} rps, p50 ${f1(r.p50)} ms, p95 ${f1(r.p95)} ms, p99 ${f1(r.p99)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`);
      const u = await measure(national, 1, UNLOADED_S);
      report.nationalUnloaded = u;
      console.log(`national, 1 in flight: ${f1(u.rps)} rps, p50 ${f1(u.p50)} ms, p95 ${f1(u.p95)} ms, p99 ${f1(u.p99)} ms, errors ${u.errors}`);
    } catch (error) {
      report.notRun.push(`the national what-if failed: ${error.message}`);
      console.error(error);
    }
    while (cleanups.length) await cleanups.pop()();
    writeDoc(report);
  } finally {
    while (cleanups.length) await cleanups.pop()().catch(() => undefined);
    if (postgres) await postgres.stop().catch(() => undefined);
  }

  // ------------------------------------------------------------ 4: matching
  const reference = process.env.BENCH_REFERENCE ?? '0';
  console.log(`running bench/matching.bench.js (BENCH_REFERENCE=${reference}) …`);
  const child = spawnSync(process.execPath, [path.join(__dirname, 'matching.bench.js')], {
    env: { ...process.env, BENCH_REFERENCE: reference },
    encoding: 'utf8',
  });
  report.matching = { reference, status: child.status, output: `${child.stdout ?? ''}${child.stderr ?? ''}`.trim() };
  writeDoc(report);
  console.log(`wrote ${path.relative(process.cwd(), DOC)}`);
}

// ---------------------------------------------------------------- the document

function writeDoc(report) {
  const cpus = os.cpus();
  const lines = [];
  const out = (s = '') => lines.push(s);
  out('# Benchmarks');
  out();
  const knobs = Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_') || k === 'DATABASE_URL').map(([k, v]) => `${k}=${k === 'DATABASE_URL' ? '…' : v} `).join('');
  const command = process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : `node ${path.relative(process.cwd(), __filename)}`;
  out(`Produced by \`${knobs}${command}\` (\`npm run bench\` builds, then runs every \`bench/*.bench.js\`; this file is`);
  out('written by `bench/gateway.bench.js`, which can also run alone: `node bench/run.js gateway` after a build).');
  out('Figures are from one machine and one run: treat them as orders of magnitude, not as a contract.');
  out();
  out(`- Date: ${report.started.toISOString()}`);
  out(`- Node: ${process.version}`);
  out(`- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores; ${mb(os.totalmem())} RAM`);
  out(`- PostgreSQL: ${report.postgres}`);
  out(`- Settings: ${CONCURRENCY} requests in flight, ${WARMUP_S} s warm-up then ${DURATION_S} s per measurement, ${RUNS} A/B rounds`);
  out();
  out('Everything runs on the same machine: the load generator, the gateway, the regional subgraph and all shards');
  out('share **one Node process, hence one JavaScript thread**, and PostgreSQL (its own processes) uses the other core.');
  out('The client, the gateway and the shards therefore compete for the same core, and the gateway\'s CPU cost per');
  out('request is taken directly out of the shards\' and the client\'s time. The gateway\'s overhead is over-stated');
  out('compared with a deployment where each service has its own CPU. In a saturated closed loop, latency is mostly');
  out('queueing: p50 ≈ requests in flight ÷ RPS; the one-in-flight figures show the per-request cost without it.');
  out();

  out('## 1. Region capacity query: gateway vs direct shard calls');
  out();
  out('```graphql');
  out(REGION_QUERY);
  out('```');
  out();
  out('A: through the gateway with a COORDINATOR token. B: a hand-written client sending');
  out('`myMunicipality(municipalityCode: CODE) { housingUnits { … } }` to each of the eight real shards in parallel,');
  out('same token, same fields. The real region: 8 shards with the demo seed, each on its own database, regional');
  out('subgraph, gateway, over real HTTP (Node fetch / undici, keep-alive). Closed loop, A and B alternated.');
  if (report.answer) out(`Both answers: ${report.answer.municipalities} municipalities, ${report.answer.unitsGateway} housing units (${(report.answer.bytes / 1024).toFixed(1)} KiB of JSON).`);
  out();
  if (report.ab?.length) {
    out('| run | path | requests | errors | RPS | p50 ms | p95 ms | p99 ms |');
    out('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of report.ab) out(`| ${r.run} | ${r.name} | ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} |`);
    const of = (name, key) => median(report.ab.filter((r) => r.name === name).map((r) => r[key]));
    for (const name of ['gateway', 'direct']) out(`| median | ${name} | | | ${f1(of(name, 'rps'))} | ${f1(of(name, 'p50'))} | ${f1(of(name, 'p95'))} | ${f1(of(name, 'p99'))} |`);
    out();
    const ratio = of('gateway', 'rps') / of('direct', 'rps');
    const diff = of('gateway', 'p50') - of('direct', 'p50');
    out(`- Throughput ratio gateway/direct (medians): **${ratio.toFixed(2)}×** — goal ≥ 0.5×: ${ratio >= 0.5 ? 'met' : `**missed** by ${(0.5 - ratio).toFixed(2)}×`}.`);
    out(`- p50 difference gateway − direct (medians): **${diff.toFixed(1)} ms** — goal ≤ 5 ms: ${diff <= 5 ? 'met' : `**missed** by ${(diff - 5).toFixed(1)} ms`}.`);
    if (report.unloaded?.length) {
      const uof = (name, key) => median(report.unloaded.filter((r) => r.name === name).map((r) => r[key]));
      out();
      out(`With **one request in flight** (${WARMUP_S} s warm-up, ${UNLOADED_S} s per measurement, ${RUNS} A/B rounds):`);
      out();
      out('| run | path | requests | errors | RPS | p50 ms | p95 ms | p99 ms |');
      out('|---|---|---:|---:|---:|---:|---:|---:|');
      for (const r of report.unloaded) out(`| ${r.run} | ${r.name} | ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} |`);
      for (const name of ['gateway', 'direct']) out(`| median | ${name} | | | ${f1(uof(name, 'rps'))} | ${f1(uof(name, 'p50'))} | ${f1(uof(name, 'p95'))} | ${f1(uof(name, 'p99'))} |`);
      out();
      const udiff = uof('gateway', 'p50') - uof('direct', 'p50');
      out(`- Unloaded p50 difference gateway − direct (medians): **${udiff.toFixed(1)} ms** — goal ≤ 5 ms: ${udiff <= 5 ? 'met' : `**missed** by ${(udiff - 5).toFixed(1)} ms`}.`);
    }
    if (ratio < 0.5 || diff > 5) {
      out();
      out('Why: the gateway does more work per request than the direct client — it verifies the token, plans the');
      out('query, asks the regional subgraph for the members (a database round-trip), then fans out `_entities` to');
      out('the eight shards and merges the answers, which is one extra hop and several JSON (de)serialisations. With');
      out('2 cores shared by the load generator, the gateway, the regional subgraph and eight shards in one process,');
      out('that CPU work comes straight out of the shards\' share, so it shows fully in both throughput and latency.');
    }
    out();
  } else out('_Did not run._\n');

  out('## 2. National what-if: 290 simulated municipal shards');
  out();
  out(`The same query through the real gateway and the real regional subgraph (on PostgreSQL, registry of ${NATIONAL_SHARDS}`);
  out('generated four-digit codes), where each shard is a tiny in-process `node:http` server that answers the');
  out('gateway\'s `_service { sdl }` check with the committed `schema/municipality.graphql` and `_entities` for');
  out('Municipality with 10 canned housing units, instantly. This measures the gateway\'s fan-out and merge cost only,');
  out(`not shard work. ${NATIONAL_CONCURRENCY} requests in flight, ${WARMUP_S} s warm-up, ${NATIONAL_DURATION_S} s.`);
  out();
  if (report.national) {
    const r = report.national;
    if (report.nationalAnswer) out(`Answer: ${report.nationalAnswer.municipalities} municipalities, ${report.nationalAnswer.units} housing units (${(report.nationalAnswer.bytes / 1024).toFixed(0)} KiB of JSON).`);
    out();
    out('| requests | errors | RPS | p50 ms | p95 ms | p99 ms |');
    out('|---:|---:|---:|---:|---:|---:|');
    out(`| ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} |`);
    out();
    out(`- p95 goal ≤ 250 ms: ${r.p95 <= 250 ? 'met' : `**missed** by ${f1(r.p95 - 250)} ms (the 290 fake shards, the regional subgraph, the gateway and the load generator share one Node thread, so the fake shards' HTTP handling and JSON are billed to the same core as the gateway; per request the gateway plans, makes 290 HTTP calls and merges ~2,900 units, and with ${NATIONAL_CONCURRENCY} in flight the rest is queueing)`}.`);
    if (r.errors) out(`- ${r.errors} requests failed; first error: \`${r.firstError}\``);
    if (report.nationalUnloaded) {
      const u = report.nationalUnloaded;
      out(`- With one request in flight (${UNLOADED_S} s): ${u.requests} requests, ${f1(u.rps)} RPS, p50 ${f1(u.p50)} ms, p95 ${f1(u.p95)} ms, p99 ${f1(u.p99)} ms, ${u.errors} errors — p95 goal ${u.p95 <= 250 ? 'met' : `missed by ${f1(u.p95 - 250)} ms`}.`);
    }
  } else out('_Did not run (or did not finish)._');
  out();

  out('## 3. Memory under sustained load');
  out();
  if (report.memory) {
    const s = report.memory.samples;
    const peak = (key) => Math.max(...s.map((x) => x[key]));
    out(`\`process.memoryUsage()\` of the **bench process**, sampled every second during ${MEMORY_S} s of (1) through the`);
    out('gateway at the same concurrency. The gateway runs in that process, but so do the load generator, the regional');
    out('subgraph and the eight shards (their ORMs and pools), so this is an upper bound for the gateway alone.');
    out(`The run served ${report.memory.sustained.requests} requests (${f1(report.memory.sustained.rps)} RPS, ${report.memory.sustained.errors} errors).`);
    out();
    out('| | start | peak | end |');
    out('|---|---:|---:|---:|');
    out(`| rss | ${mb(s[0].rss)} | ${mb(peak('rss'))} | ${mb(s.at(-1).rss)} |`);
    out(`| heapUsed | ${mb(s[0].heapUsed)} | ${mb(peak('heapUsed'))} | ${mb(s.at(-1).heapUsed)} |`);
  } else out('_Did not run (or did not finish)._');
  out();

  out('## 4. Matching');
  out();
  if (report.matching) {
    out(`Output of \`node bench/matching.bench.js\` with \`BENCH_REFERENCE=${report.matching.reference}\` (exit ${report.matching.status})${report.matching.reference === '0' ? '; the HiGHS reference solves are skipped here (they take minutes) — `npm run bench` runs the matching bench again on its own with the reference unless `BENCH_REFERENCE=0`' : ''}:`);
    out();
    out('```');
    out(report.matching.output);
    out('```');
  } else out('_Not run by this invocation; see `node bench/run.js matching`._');
  out();
  if (report.notRun.length) {
    out('## Did not run');
    out();
    for (const n of report.notRun) out(`- ${n}`);
    out();
  }
  writeFileSync(DOC, lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
