// What the benches' child processes share (bench/shard-process.js, bench/gateway-process.js):
// the parent's test issuer, the fork-and-wait of their IPC protocol, and their CPU from /proc.
//
// Protocol: parent → { type: 'start', issuerKeyFile, … }   child → { type: 'ready', … } | { type: 'failed', message }
//           parent → { type: 'stop' }                       child cleans up and exits 0
// A child exits too when the parent goes away (the IPC channel closes).
const { copyFileSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { fork } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

/** Where @sodertorn/testing keeps the test issuer's key of process `pid` (one issuer per process). */
const testIssuerKeyFile = (pid) => path.join(os.tmpdir(), `sodertorn-test-issuer-${pid}`, 'key.json');

/** Makes this process's test issuer the parent's (its key where this process's issuer looks), so it verifies the parent's tokens. */
function adoptParentIssuer(issuerKeyFile) {
  mkdirSync(path.dirname(testIssuerKeyFile(process.pid)), { recursive: true });
  copyFileSync(issuerKeyFile, testIssuerKeyFile(process.pid));
}

/** Removes this process's copy of the parent's issuer key. */
function forgetParentIssuer() {
  rmSync(path.dirname(testIssuerKeyFile(process.pid)), { recursive: true, force: true });
}

/**
 * Forks `file`, sends it `start` (with this process's issuer key file added) and waits for its
 * `ready`. Returns { ready (the message), pid, stop } — `stop` asks it to stop and kills it if it
 * has not within 10 s. `label` names it in errors. With BENCH_CPU_PROFILE_DIR set, the child runs
 * with `--cpu-prof` and writes `<profileName>-<time>.cpuprofile` there when stopped.
 * @param {string} file
 * @param {Record<string, unknown>} start
 * @param {{ label: string, profileName: string, env?: NodeJS.ProcessEnv }} options
 */
function forkBenchChild(file, start, { label, profileName, env = process.env }) {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const execArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${profileName}-${Date.now()}.cpuprofile`] : [];
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env });
  return new Promise((resolve, reject) => {
    child.once('exit', (status) => reject(new Error(`${label} exited (${status}) before it was ready`)));
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'failed') reject(new Error(`${label}: ${message.message}`));
      if (message.type !== 'ready') return;
      resolve({
        ready: message,
        pid: child.pid,
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
    child.send({ ...start, type: 'start', issuerKeyFile: testIssuerKeyFile(process.pid) });
  });
}

/**
 * Runs this file as a bench child: `start(message)` → the ready message's fields; `stop()` on
 * `stop`, then exit 0; a failure is sent to the parent as `failed`.
 */
function serveAsBenchChild(start, stop) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (/** @type {any} */ message) => {
    try {
      if (message.type === 'start') {
        adoptParentIssuer(message.issuerKeyFile);
        process.send?.({ ...(await start(message)), type: 'ready' });
      } else if (message.type === 'stop') {
        await stop();
        forgetParentIssuer();
        process.exit(0);
      }
    } catch (error) {
      process.send?.({ type: 'failed', message: String(/** @type {Error} */ (error).stack ?? error) });
    }
  });
}

/** A module as the checkout at `root` resolves it (its own build, its own dependencies): to run another commit's services. */
function fromCheckout(root, name) {
  return require(require.resolve(name, { paths: [path.join(root, 'bench')] }));
}

/** User + system CPU of a process so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms: USER_HZ is 100 on Linux). */
function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

module.exports = { forkBenchChild, fromCheckout, serveAsBenchChild, processCpuMs };
