import { loadRunnerConfig } from './config';
import { startLocalRegion } from './local-region';
import { ConfigError, todayInStockholm } from '@sodertorn/service-kit';
import { welcomeText } from './welcome';

/** `npm start`: the whole region on this machine, until Ctrl-C. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadRunnerConfig();
  const today = todayInStockholm();
  const say = (line: string) => console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s  ${line}`);
  const region = await startLocalRegion(config, today, say, { writeRegionFile: true });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping every service and the database…');
    await region.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  say('region is up');
  console.log(await welcomeText(region.gatewayUrl, region.webUrl, region.identity, region.services, region.logDir, today, region.certificates.regionCaFile));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `npm start failed: ${(error as Error)?.message ?? error}`);
  process.exit(1);
});
