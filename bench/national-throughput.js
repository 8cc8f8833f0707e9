// One measurement of the national what-if (gateway.bench.js part 2 (c)) for
// bench/compare-commits.js: 290 fake shards in a process of their own (this
// checkout's bench/fake-shards.js, serving that checkout's schema), the gateway and the regional subgraph of the
// checkout in argv[2] (default: this one) in a process of their own, this
// checkout's closed loop. Prints one line of JSON and exits.
// Knobs: BENCH_NATIONAL_CONCURRENCY (4), BENCH_WARMUP_S (10), BENCH_NATIONAL_DURATION_S (10),
// BENCH_CPU_PROFILE_DIR (profile the gateway process, see bench-child.js).
const path = require('node:path');
const { readFileSync } = require('node:fs');
const { REGION_QUERY, closedLoop, nationalCodes, postJson, startPostgres } = require('./support');
const { startFakeShardProcess } = require('./fake-shards');
const { startGatewayProcess } = require('./gateway-process');
const { fromCheckout, processCpuMs } = require('./bench-child');

const checkout = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
const num = (name, fallback) => Number(process.env[name] ?? fallback);
const CONCURRENCY = num('BENCH_NATIONAL_CONCURRENCY', 4);
const WARMUP_S = num('BENCH_WARMUP_S', 10);
const DURATION_S = num('BENCH_NATIONAL_DURATION_S', 10);
const SHARDS = 290;

async function main() {
  const postgres = await startPostgres();
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [() => postgres.stop()];
  try {
    // The checkout's own token issuer (the gateway process adopts it) and its own schema (what its shards would serve).
    const { Role } = fromCheckout(checkout, '@sodertorn/auth');
    const { tokenFor } = fromCheckout(checkout, '@sodertorn/testing');
    const { SCHEMA_FILES } = fromCheckout(checkout, '@sodertorn/schema');
    const token = await tokenFor(Role.COORDINATOR, undefined, 'bench-coordinator');
    const codes = nationalCodes(SHARDS);
    const fakes = await startFakeShardProcess(codes, readFileSync(SCHEMA_FILES.municipality, 'utf8'));
    cleanups.push(() => fakes.stop());
    const gateway = await startGatewayProcess(
      codes.map((code, i) => ({ code, name: `Kommun ${code}`, url: fakes.urls[i] })),
      checkout,
    );
    cleanups.push(() => gateway.stop());
    const query = async () => {
      const data = await postJson(gateway.url, token, REGION_QUERY);
      if (data.region.municipalities.length !== SHARDS) throw new Error(`${data.region.municipalities.length} municipalities answered, not ${SHARDS}`);
    };
    await closedLoop(query, { concurrency: CONCURRENCY, seconds: WARMUP_S });
    const before = { gateway: processCpuMs(gateway.pid), fakes: await fakes.cpuUsage() };
    const result = await closedLoop(query, { concurrency: CONCURRENCY, seconds: DURATION_S });
    const after = { gateway: processCpuMs(gateway.pid), fakes: await fakes.cpuUsage() };
    const per = (ms) => ms / Math.max(1, result.requests);
    const fakesMs = (after.fakes.user - before.fakes.user + after.fakes.system - before.fakes.system) / 1000;
    process.stdout.write(
      `${JSON.stringify({ ...result, gatewayCpuMsPerRequest: per(after.gateway - before.gateway), fakeShardsCpuMsPerRequest: per(fakesMs) })}\n`,
    );
  } finally {
    while (cleanups.length)
      await cleanups
        .pop()?.()
        .catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
