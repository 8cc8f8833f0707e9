// One measurement of the region capacity query through the gateway, for
// bench/compare-commits.js: the real region (8 seeded shards, the regional
// subgraph, the gateway) of the checkout in argv[2] (default: this one),
// started with that checkout's own bench/support.js and services, loaded by
// this checkout's closed loop. Prints one line of JSON and exits.
// Knobs: BENCH_CONCURRENCY (16), BENCH_WARMUP_S (10), BENCH_DURATION_S (10).
const path = require('node:path');
const { REGION_QUERY, closedLoop, postJson } = require('./support');
const { fromCheckout } = require('./bench-child');

const checkout = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
const num = (name, fallback) => Number(process.env[name] ?? fallback);
const CONCURRENCY = num('BENCH_CONCURRENCY', 16);
const WARMUP_S = num('BENCH_WARMUP_S', 10);
const DURATION_S = num('BENCH_DURATION_S', 10);

async function main() {
  const support = require(path.join(checkout, 'bench', 'support.js'));
  const postgres = await support.startPostgres();
  let region;
  try {
    // After startPostgres: the checkout's test support provisions its databases through it.
    const { Role } = fromCheckout(checkout, '@sodertorn/auth');
    const { tokenFor } = fromCheckout(checkout, '@sodertorn/testing');
    const token = await tokenFor(Role.COORDINATOR, undefined, 'bench-coordinator');
    region = await support.startRegion();
    const query = async () => {
      const data = await postJson(region.gateway.url, token, REGION_QUERY);
      if (data.region.municipalities.length !== 8) throw new Error(`${data.region.municipalities.length} municipalities answered, not 8`);
    };
    await closedLoop(query, { concurrency: CONCURRENCY, seconds: WARMUP_S });
    const cpu = process.cpuUsage();
    const result = await closedLoop(query, { concurrency: CONCURRENCY, seconds: DURATION_S });
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ ...result, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, result.requests) })}\n`);
  } finally {
    await region?.destroy().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
