import { adminDatabaseUrl, bearer, createTestDatabase, createTestRuntimeRole, Role, type TestDatabase } from '@sodertorn/testing';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { MUNICIPALITY_MIGRATE, startShardProcess } from './support/shard-process';

const QUERY = '{ myMunicipality { housingUnits { id } } }';
const CONCURRENCY = 8;

/** One municipal deployment with the drain settings under test. */
const startDrainingShard = (runtimeUrl: string, drain: { delayMs: number; timeoutMs: number }) =>
  startShardProcess(runtimeUrl, { DRAIN_DELAY_MS: String(drain.delayMs), DRAIN_TIMEOUT_MS: String(drain.timeoutMs) });

/**
 * Steady load as a load balancer sends it: CONCURRENCY clients one request after another, sent
 * only while the balancer's readiness probe (every `probeMs`) last saw /ready answer 200.
 */
function steadyLoad(url: string, headers: Record<string, string>, probeMs: number) {
  let inRotation = true;
  let running = true;
  const counts = { ok: 0, failed: 0, failures: [] as string[] };
  const probe = setInterval(() => {
    fetch(url.replace('/graphql', '/ready'), { signal: AbortSignal.timeout(probeMs) })
      .then((answer) => (inRotation = answer.ok))
      .catch(() => (inRotation = false));
  }, probeMs);
  const client = async () => {
    while (running) {
      if (!inRotation) {
        await new Promise((wait) => setTimeout(wait, 10));
        continue;
      }
      try {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: QUERY }),
        });
        const body = (await answer.json()) as { data?: { myMunicipality?: { housingUnits?: unknown[] } }; errors?: unknown[] };
        if (answer.ok && Array.isArray(body.data?.myMunicipality?.housingUnits) && !body.errors) counts.ok++;
        else {
          counts.failed++;
          counts.failures.push(`HTTP ${answer.status}`);
        }
      } catch (error) {
        counts.failed++;
        counts.failures.push((error as Error).cause ? String((error as Error).cause) : (error as Error).message);
      }
    }
  };
  const clients = Array.from({ length: CONCURRENCY }, client);
  return {
    counts,
    async stop() {
      running = false;
      clearInterval(probe);
      await Promise.all(clients);
    },
  };
}

/** Holds every reader of the housing units until released, so requests are in flight at will. */
async function lockHousingUnits(database: TestDatabase): Promise<{ release(): Promise<void> }> {
  const admin = new Client({ connectionString: adminDatabaseUrl().replace(/\/[^/]*$/, `/${database.name}`) });
  admin.on('error', () => undefined); // the test's own connection; a failure shows in the test's assertions
  await admin.connect();
  await admin.query('BEGIN');
  await admin.query('LOCK TABLE housing_unit IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await admin.query('COMMIT');
      await admin.end();
    },
  };
}

const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 10));
  }
};

describe('SIGTERM drains a service under load (a real municipal subgraph process, with /metrics)', () => {
  let database: TestDatabase;
  let runtime: Awaited<ReturnType<typeof createTestRuntimeRole>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('drain');
    runtime = await createTestRuntimeRole(database);
    // The deployment's own migrate command, as the owner role, before the service starts as the runtime role.
    const migrated = execFileSync(process.execPath, [MUNICIPALITY_MIGRATE], {
      env: { PATH: process.env.PATH, MIGRATION_DATABASE_URL: database.url, RUNTIME_ROLE: runtime.name },
      encoding: 'utf8',
    });
    expect(migrated).toContain('"msg":"migrated"');
    headers = await bearer(Role.HOUSING_MANAGER, '0126');
  });
  afterAll(async () => {
    await runtime.drop();
    await database.drop();
  });

  it('answers /ready 503 at once, finishes every request in flight, exits 0: no failed request', async () => {
    const shard = await startDrainingShard(runtime.url, { delayMs: 1_000, timeoutMs: 8_000 });
    const load = steadyLoad(shard.url, headers, 200);
    await until(() => load.counts.ok >= 50);
    const metrics = await (await fetch(shard.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // Every client's next request now waits in the database: all of them are in flight at SIGTERM.
    const lock = await lockHousingUnits(database);
    await new Promise((wait) => setTimeout(wait, 300));
    const okBeforeSignal = load.counts.ok;
    const signalled = performance.now();
    shard.process.kill('SIGTERM');
    // The signal reaches the process asynchronously: ask until /ready turns, and say how soon it did.
    while ((await fetch(shard.url.replace('/graphql', '/ready'))).status !== 503) await new Promise((wait) => setTimeout(wait, 5));
    const readyMs = performance.now() - signalled;
    expect(readyMs).toBeLessThan(500);
    // Past the drain delay no new connection is taken; the held requests are still running.
    await new Promise((wait) => setTimeout(wait, 1_500));
    await lock.release();
    const { code, atMs } = await shard.exited;
    await load.stop();

    const drained = shard.logs.find((entry) => entry.msg === 'drained');
    // eslint-disable-next-line no-console -- what was measured is this test's report
    console.log(
      `drain under load: ${load.counts.ok} requests answered (${load.counts.ok - okBeforeSignal} after SIGTERM), ${load.counts.failed} failed; ` +
        `/ready 503 after ${readyMs.toFixed(0)} ms; ${String(drained?.inFlightAtClose)} in flight when the listener closed; exit after ${(atMs - signalled).toFixed(0)} ms`,
    );
    expect(load.counts.failures).toEqual([]);
    expect(code).toBe(0);
    expect(drained).toMatchObject({ inFlightAtClose: CONCURRENCY, cut: 0 });
    expect(load.counts.ok - okBeforeSignal).toBeGreaterThanOrEqual(CONCURRENCY);
  }, 60_000);

  it('waits for requests in flight no longer than DRAIN_TIMEOUT_MS, then cuts them and exits within the stop bound', async () => {
    const shard = await startDrainingShard(runtime.url, { delayMs: 0, timeoutMs: 1_000 });
    const lock = await lockHousingUnits(database);
    const stuck = fetch(shard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: QUERY }),
    }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((wait) => setTimeout(wait, 300));
    const signalled = performance.now();
    const signalledAtEpoch = Date.now();
    shard.process.kill('SIGTERM');
    const { code, atMs } = await shard.exited;
    await lock.release();
    expect(await stuck).toBe('cut');
    expect(code).toBe(0);
    const drainedAt = Number(shard.logs.find((entry) => entry.msg === 'drained')?.time) - signalledAtEpoch;
    // eslint-disable-next-line no-console -- what was measured is this test's report
    console.log(`drain past its timeout: request cut ${drainedAt} ms after SIGTERM, exit after ${(atMs - signalled).toFixed(0)} ms`);
    expect(shard.logs.find((entry) => entry.msg === 'drained')).toMatchObject({ inFlightAtClose: 1, cut: 1 });
    expect(drainedAt).toBeGreaterThanOrEqual(1_000);
    // The database query it was waiting for still holds a pool connection, so closing the pool
    // waits too, until the process's stop bound (delay + timeout + 5 s) exits it regardless.
    expect(atMs - signalled).toBeLessThan(0 + 1_000 + 5_000 + 1_500);
  }, 60_000);
});
