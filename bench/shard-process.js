// One real municipal shard in a process of its own, for bench/shard-cpu.bench.js:
// the shard's CPU is then that process's CPU, which the bench reads from
// /proc/<pid>/stat without anything in the shard's code to help it.
//
// Protocol over the IPC channel (the parent forks this file with TEST_ADMIN_DATABASE_URL set):
//   parent → { type: 'start', code, units, issuerKeyFile }
//            units: 'demo' (the demo seed) or a number of housing units; issuerKeyFile: the parent's test
//            issuer key (bench/bench-child.js), so the shard verifies the parent's tokens
//   child  → { type: 'ready', url, units }    units: how many housing units the shard holds
//          | { type: 'failed', message }
//   parent → { type: 'stop' }                 child stops the shard, drops its database and exits 0
// If the parent goes away (the IPC channel closes), the child exits too (bench/bench-child.js).
const { forkBenchChild, processCpuMs, serveAsBenchChild } = require('./bench-child');

/**
 * `count` AVAILABLE units, each with two CONFIRMED bookings that overlap the bench's
 * period (2026-12-01 to 2026-12-15), so freePlaces has bookings to count.
 */
async function insertUnits(orm, count) {
  const connection = orm.em.getConnection();
  await connection.execute(
    `insert into housing_unit (id, kind, places, district, street_address, wheelchair_accessible, suitable_for_children, status, created_at, updated_at)
     select gen_random_uuid(), (array['PROTECTED','TRAINING_FLAT','EMERGENCY','SUPPORTED'])[1 + i % 4]::housing_unit_kind, 2 + i % 4,
            'Distrikt ' || (i % 5), 'Benchgatan ' || i, i % 2 = 0, i % 3 = 0, 'AVAILABLE', now(), now()
       from generate_series(1, ?) as i`,
    [count],
  );
  await connection.execute(
    `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at, updated_at)
     select gen_random_uuid(), u.id, 1, b.starts_on::date, b.ends_on::date, 'CONFIRMED', now(), now()
       from housing_unit u cross join (values ('2026-11-20', '2026-12-05'), ('2026-12-08', '2026-12-20')) as b(starts_on, ends_on)`,
  );
}

async function start(code, units) {
  const { startTestShard } = require('@sodertorn/municipality/testing');
  const shard = await startTestShard(code, { seed: units === 'demo', today: '2026-11-27' });
  if (units !== 'demo') await insertUnits(shard.orm, units);
  const [{ n }] = await shard.orm.em.getConnection().execute(`select count(*)::int as n from housing_unit where status <> 'RETIRED'`);
  return { shard, units: n };
}

if (require.main === module) {
  /** @type {any} */
  let running;
  serveAsBenchChild(
    async (message) => {
      running = await start(message.code, message.units);
      return { url: running.shard.url, units: running.units };
    },
    () => running?.shard.destroy(),
  );
}

/**
 * Forks one shard process and waits until it listens; with BENCH_CPU_PROFILE_DIR set, the
 * process runs with `--cpu-prof` and writes its profile there when stopped. `checkout`: the
 * root of another built checkout whose shard to run instead of this one's (an A/B comparison;
 * it speaks the same protocol). The shard runs with NODE_ENV=production, as the image sets it
 * (graphql-js, for one, checks more without it). Returns { url, pid, units, stop }.
 */
function startShardProcess(code, units, checkout) {
  const path = require('node:path');
  const profileName = `shard-${code}-${units}${checkout ? `-${path.basename(checkout)}` : ''}`;
  const file = checkout ? path.join(checkout, 'bench', 'shard-process.js') : __filename;
  const env = { ...process.env, NODE_ENV: 'production' };
  return forkBenchChild(file, { code, units }, { label: `shard process ${code}`, profileName, env }).then(({ ready, pid, stop }) => ({
    url: ready.url,
    units: ready.units,
    pid,
    stop,
  }));
}

module.exports = { startShardProcess, processCpuMs };
