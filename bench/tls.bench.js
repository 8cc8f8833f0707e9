// What TLS costs: the region capacity query through the gateway over plain HTTP
// on every hop, and over TLS (client → gateway) and mutual TLS (gateway →
// regional, gateway → each shard), keep-alive everywhere. Both regions are the
// real ones of the test harness (8 seeded shards, regional, gateway; each shard
// its municipality's CA), up at once, measured alternately A/B/A/B/A/B.
// Writes docs/benchmarks-tls.md. Knobs: BENCH_DURATION_S (10), BENCH_WARMUP_S
// (2), BENCH_RUNS (3), BENCH_CONCURRENCY (16), BENCH_UNLOADED_S (5).
const path = require('node:path');
const { readFileSync, writeFileSync } = require('node:fs');
const { Agent: HttpAgent, request: httpRequest } = require('node:http');
const { Agent: HttpsAgent, request: httpsRequest } = require('node:https');
const { closedLoop, docHeader, f1, median, startPostgres } = require('./support');

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const DURATION_S = num('BENCH_DURATION_S', 10);
const WARMUP_S = num('BENCH_WARMUP_S', 2);
const RUNS = num('BENCH_RUNS', 3);
const CONCURRENCY = num('BENCH_CONCURRENCY', 16);
const UNLOADED_S = num('BENCH_UNLOADED_S', 5);
const DOC = path.join(__dirname, '..', 'docs', 'benchmarks-tls.md');
const QUERY = '{ region { municipalities { code housingUnits { id kind places freePlaces(from: "2026-12-01", to: "2026-12-15") } } } }';

/** POSTs the query over `agent`'s keep-alive pool (the same client code for both paths); resolves with the unit count. */
function ask(url, agent, token) {
  const payload = JSON.stringify({ query: QUERY });
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString());
          if (res.statusCode !== 200 || body.errors) return reject(new Error(`HTTP ${res.statusCode} ${JSON.stringify(body.errors).slice(0, 300)}`));
          resolve(body.data.region.municipalities.reduce((n, m) => n + m.housingUnits.length, 0));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function measure(operation, concurrency, seconds) {
  if (WARMUP_S > 0) await closedLoop(operation, { concurrency, seconds: WARMUP_S });
  return closedLoop(operation, { concurrency, seconds });
}

async function main() {
  const started = new Date();
  const loadAtStart = require('node:os').loadavg()[0];
  const postgres = await startPostgres();
  // The test harness, compiled (a computed path: not type-checked again through checkJs).
  const harness = path.join(path.dirname(require.resolve('@sodertorn/tests/package.json')), 'dist', 'support', 'test-region.js');
  const { startTestRegion } = require(harness);
  const { tokenFor, Role } = require('@sodertorn/testing');
  const regions = [];
  try {
    // A long shard timeout: on a busy machine a slow answer is a figure, not a failure (the breaker would open).
    const plain = await startTestRegion({ plainHttp: true, shardTimeoutMs: 30_000 });
    regions.push(plain);
    const tls = await startTestRegion({ shardTimeoutMs: 30_000 });
    regions.push(tls);
    const token = await tokenFor(Role.COORDINATOR);
    const paths = [
      { name: 'plain HTTP', url: plain.gateway.url, agent: new HttpAgent({ keepAlive: true }) },
      { name: 'TLS + mTLS', url: tls.gateway.url, agent: new HttpsAgent({ keepAlive: true, ca: readFileSync(tls.certificates.regionCaFile) }) },
    ];
    const units = await Promise.all(paths.map((p) => ask(p.url, p.agent, token)));
    if (units[0] !== units[1]) throw new Error(`the two regions answer differently: ${units.join(' vs ')} housing units`);

    /** @type {{ loaded: any[], unloaded: any[] }} */
    const results = { loaded: [], unloaded: [] };
    for (let run = 1; run <= RUNS; run++) {
      for (const p of paths) {
        const operation = () => ask(p.url, p.agent, token);
        results.loaded.push({ run, path: p.name, ...(await measure(operation, CONCURRENCY, DURATION_S)) });
        results.unloaded.push({ run, path: p.name, ...(await measure(operation, 1, UNLOADED_S)) });
        console.log(`run ${run} ${p.name}: done`);
      }
    }
    writeDoc(started, postgres.description, units[0], results, [loadAtStart, require('node:os').loadavg()[0]]);
  } finally {
    for (const region of regions.reverse()) await region.destroy();
    await postgres.stop();
  }
}

function writeDoc(started, postgres, units, results, load) {
  const lines = docHeader({ title: 'Benchmarks: what TLS and mutual TLS cost', benchFile: __filename, started, postgres });
  const out = (s = '') => lines.push(s);
  out(
    `- Load average (1 min) of the machine at start and end: ${load.map((l) => l.toFixed(1)).join(' and ')} (on ${require('node:os').cpus().length} cores: above that, every figure below is mostly waiting for a core)`,
  );
  out(
    `- Settings: ${CONCURRENCY} requests in flight (and 1), ${WARMUP_S} s warm-up then ${DURATION_S} s (${UNLOADED_S} s with 1) per measurement, ${RUNS} A/B rounds`,
  );
  out();
  out('```graphql');
  out(QUERY);
  out('```');
  out();
  out('The region capacity query of docs/benchmarks.md (part 1) through the real gateway, as a COORDINATOR, over two');
  out('regions of the test harness up at once: one on **plain HTTP** on every hop, one with **TLS** from the client to the');
  out('gateway and **mutual TLS** from the gateway to the regional subgraph and to each of the eight shards (ECDSA P-256');
  out('certificates, each shard its municipality’s CA, TLS 1.3). Keep-alive everywhere, so a handshake is paid per');
  out(`connection, not per request; what remains is encryption and the per-connection identity check. Both answer ${units} housing units.`);
  out('Everything shares this process and its one JavaScript thread (see docs/benchmarks.md).');
  const table = (rows) => {
    out();
    out('| run | path | requests | errors | RPS | p50 ms | p95 ms | p99 ms |');
    out('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) out(`| ${r.run} | ${r.path} | ${r.requests} | ${r.errors} | ${f1(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} |`);
    const med = (name, key) => median(rows.filter((r) => r.path === name).map((r) => r[key]));
    for (const name of ['plain HTTP', 'TLS + mTLS'])
      out(`| median | ${name} | | | ${f1(med(name, 'rps'))} | ${f1(med(name, 'p50'))} | ${f1(med(name, 'p95'))} | ${f1(med(name, 'p99'))} |`);
    return { plain: { rps: med('plain HTTP', 'rps'), p50: med('plain HTTP', 'p50') }, tls: { rps: med('TLS + mTLS', 'rps'), p50: med('TLS + mTLS', 'p50') } };
  };
  const verdict = (cost) => (cost < 10 ? 'met' : '**missed**');
  out();
  out(`### ${CONCURRENCY} requests in flight`);
  const loaded = table(results.loaded);
  const loadedCost = (loaded.plain.rps / loaded.tls.rps - 1) * 100;
  out();
  out(`- TLS cost per request (CPU-bound, from throughput: plain RPS ÷ TLS RPS − 1): **${f1(loadedCost)} %** — goal < 10 %: ${verdict(loadedCost)}.`);
  out();
  out('### One request in flight');
  const unloaded = table(results.unloaded);
  const unloadedCost = (unloaded.tls.p50 / unloaded.plain.p50 - 1) * 100;
  out();
  out(
    `- TLS cost per request (latency, p50 TLS ÷ p50 plain − 1): **${f1(unloadedCost)} %** (${f1(unloaded.tls.p50 - unloaded.plain.p50)} ms) — goal < 10 %: ${verdict(unloadedCost)}.`,
  );
  const errors = [...results.loaded, ...results.unloaded].find((r) => r.firstError);
  if (errors) out(`- First error: ${errors.firstError}`);
  out();
  writeFileSync(DOC, lines.join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
