// One real municipal shard in a process of its own, for bench/shard-cpu.bench.js:
// the shard's CPU is then that process's CPU, which the bench reads from
// /proc/<pid>/stat without anything in the shard's code to help it.
//
// Protocol over the IPC channel (the parent forks this file with TEST_ADMIN_DATABASE_URL set):
//   parent → { type: 'start', code, units, issuerKeyFile }
//            units: 'demo' (the demo seed) or a number of housing units; issuerKeyFile: the parent's test
//            issuer key (see testIssuerKeyFile), so the shard verifies the parent's tokens
//   child  → { type: 'ready', url, units }    units: how many housing units the shard holds
//          | { type: 'failed', message }
//   parent → { type: 'stop' }                 child stops the shard, drops its database and exits 0
// If the parent goes away (the IPC channel closes), the child exits too.

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

/** Where @sodertorn/testing keeps the test issuer's key of process `pid` (one issuer per process). */
const testIssuerKeyFile = (pid) => require('node:path').join(require('node:os').tmpdir(), `sodertorn-test-issuer-${pid}`, 'key.json');

async function start(code, units, issuerKeyFile) {
  const { copyFileSync, mkdirSync } = require('node:fs');
  const path = require('node:path');
  // The same issuer as the parent's: its key where this process's test issuer looks for one.
  mkdirSync(path.dirname(testIssuerKeyFile(process.pid)), { recursive: true });
  copyFileSync(issuerKeyFile, testIssuerKeyFile(process.pid));
  const { startTestShard } = require('@sodertorn/municipality/testing');
  const shard = await startTestShard(code, { seed: units === 'demo', today: '2026-11-27' });
  if (units !== 'demo') await insertUnits(shard.orm, units);
  const [{ n }] = await shard.orm.em.getConnection().execute(`select count(*)::int as n from housing_unit where status <> 'RETIRED'`);
  return { shard, units: n };
}

if (require.main === module) {
  /** @type {any} */
  let running;
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (/** @type {any} */ message) => {
    try {
      if (message.type === 'start') {
        running = await start(message.code, message.units, message.issuerKeyFile);
        process.send?.({ type: 'ready', url: running.shard.url, units: running.units });
      } else if (message.type === 'stop') {
        await running?.shard.destroy();
        require('node:fs').rmSync(require('node:path').dirname(testIssuerKeyFile(process.pid)), { recursive: true, force: true });
        process.exit(0);
      }
    } catch (error) {
      process.send?.({ type: 'failed', message: String(/** @type {Error} */ (error).stack ?? error) });
    }
  });
}

/**
 * Forks one shard process and waits until it listens; with BENCH_CPU_PROFILE_DIR set, the
 * process runs with `--cpu-prof` and writes its profile there when stopped. `checkout`: the
 * root of another built checkout whose shard to run instead of this one's (an A/B comparison;
 * it speaks the same protocol). The shard runs with NODE_ENV=production, as the image sets it
 * (graphql-js, for one, checks more without it). Returns { url, pid, units, stop }.
 */
function startShardProcess(code, units, checkout) {
  const { fork } = require('node:child_process');
  const path = require('node:path');
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profileName = `shard-${code}-${units}${checkout ? `-${path.basename(checkout)}` : ''}-${Date.now()}.cpuprofile`;
  const execArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', profileName] : [];
  const file = checkout ? path.join(checkout, 'bench', 'shard-process.js') : __filename;
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    child.once('exit', (status) => reject(new Error(`shard process ${code} exited (${status}) before it was ready`)));
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'failed') reject(new Error(`shard process ${code}: ${message.message}`));
      if (message.type !== 'ready') return;
      resolve({
        url: message.url,
        pid: child.pid,
        units: message.units,
        stop: () =>
          new Promise((done) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done(undefined);
            });
            child.send({ type: 'stop' });
          }),
      });
    });
    child.send({ type: 'start', code, units, issuerKeyFile: testIssuerKeyFile(process.pid) });
  });
}

/** User + system CPU of a process so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms: USER_HZ is 100 on Linux). */
function processCpuMs(pid) {
  const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

module.exports = { startShardProcess, processCpuMs };
