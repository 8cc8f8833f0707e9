// The real gateway and the real regional subgraph in a process of their own, for part 2 (c)
// of bench/gateway.bench.js: their CPU is then this process's CPU (/proc/<pid>/stat), with
// neither the load generator nor the fake shards billed to it.
//
// Protocol over the IPC channel (bench/bench-child.js; the parent forks this file with
// TEST_ADMIN_DATABASE_URL set):
//   parent → { type: 'start', registry, checkout?, issuerKeyFile }
//            registry: [{ code, name, url }] of the (fake) shards; checkout: the root of another built checkout
//            whose gateway and regional subgraph to run (bench/compare-commits.js), else this one's
//   child  → { type: 'ready', url } | { type: 'failed', message }
//   parent → { type: 'stop' }                             child stops both, drops the regional database and exits 0
const path = require('node:path');
const { forkBenchChild, fromCheckout, serveAsBenchChild } = require('./bench-child');

/** Forks the gateway process for `registry` (of `checkout`, default this one) and waits until it listens. Returns { url, pid, stop }. */
async function startGatewayProcess(registry, checkout) {
  const { ready, pid, stop } = await forkBenchChild(
    __filename,
    { registry, checkout },
    {
      label: 'gateway process',
      profileName: `gateway-${path.basename(checkout ?? path.join(__dirname, '..'))}`,
    },
  );
  return { url: ready.url, pid, stop };
}

if (require.main === module) {
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [];
  serveAsBenchChild(
    async ({ registry, checkout }) => {
      const root = checkout ?? path.join(__dirname, '..');
      const fromBench = (name) => fromCheckout(root, name);
      let startTestRegional;
      try {
        ({ startTestRegional } = fromBench('@sodertorn/regional/testing'));
      } catch {
        ({ startTestRegional } = fromBench('@sodertorn/regional')); // where older checkouts (the base) export it
      }
      const { startGateway } = require(path.join(root, 'bench', 'support.js'));
      const regional = await startTestRegional(registry);
      cleanups.push(() => regional.destroy());
      const gateway = await startGateway(regional.url, registry);
      cleanups.push(() => gateway.close());
      return { url: gateway.url };
    },
    async () => {
      while (cleanups.length) await cleanups.pop()?.();
    },
  );
}

module.exports = { startGatewayProcess };
