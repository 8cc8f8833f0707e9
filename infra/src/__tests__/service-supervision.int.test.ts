import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupervisedService, type RestartPolicy } from '../service-processes';

/**
 * A real Node process that reports ready as a service does, notes each start in
 * a file, and exits with code 3 after the n-th entry of RUNS_MS milliseconds
 * (the last entry for every later start; -1: runs until stopped).
 */
const FLAKY_SERVICE = `
const { appendFileSync, readFileSync } = require('node:fs');
appendFileSync(process.env.STARTS_FILE, process.pid + '\\n');
const starts = readFileSync(process.env.STARTS_FILE, 'utf8').trim().split('\\n').length;
const runs = process.env.RUNS_MS.split(',').map(Number);
const runMs = runs[Math.min(starts, runs.length) - 1];
process.send({ type: 'ready' });
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
if (runMs >= 0) setTimeout(() => process.exit(3), runMs); else setInterval(() => {}, 1000);
`;

/** Short delays so the back-off can be watched within a test: 0.1 s doubling to 0.4 s, reset after 0.6 s of running. */
const POLICY: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 400, resetAfterMs: 600 };

describe('SupervisedService: the local runner restarts a service that stops, with back-off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-'));
  const script = join(dir, 'flaky-service.js');
  writeFileSync(script, FLAKY_SERVICE);
  let runs = 0;

  async function supervise(runsMs: number[]) {
    const startsFile = join(dir, `starts-${++runs}`);
    writeFileSync(startsFile, '');
    const lines: string[] = [];
    const service = await SupervisedService.start(
      { name: `flaky-${runs}`, script, env: { STARTS_FILE: startsFile, RUNS_MS: runsMs.join(',') }, url: 'http://127.0.0.1:1/graphql', logDir: dir },
      (line) => lines.push(line),
      POLICY,
    );
    const starts = () => readFileSync(startsFile, 'utf8').trim().split('\n').filter(Boolean).length;
    /** The delays the runner announced, in seconds. */
    const delays = () => lines.filter((l) => l.startsWith('!')).map((l) => Number(/restarting it in ([\d.]+) s/.exec(l)![1]));
    return { service, lines, starts, delays };
  }

  async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('doubles the wait while the service keeps stopping, up to the maximum, and names the service, the exit and the new pid', async () => {
    const { service, lines, starts, delays } = await supervise([50]);
    try {
      await until(() => delays().length >= 5);
      expect(delays().slice(0, 5)).toEqual([0.1, 0.2, 0.4, 0.4, 0.4]);
      expect(lines[0]).toMatch(
        /^! flaky-\d+ stopped unexpectedly \(exit code 3\) after 0 s; restarting it in 0\.1 s, at \d\d:\d\d:\d\d\. Its log: .+flaky-\d+\.log$/,
      );
      expect(lines[1]).toMatch(/^flaky-\d+ is running again: pid \d+, http:\/\/127\.0\.0\.1:1\/graphql$/);
      expect(starts()).toBeGreaterThanOrEqual(5);
    } finally {
      await service.stop();
    }
  });

  it('waits the initial delay again once a restarted service has run long enough', async () => {
    const { service, delays } = await supervise([50, 50, 900, 50]);
    try {
      await until(() => delays().length >= 4);
      expect(delays().slice(0, 4)).toEqual([0.1, 0.2, 0.1, 0.2]);
    } finally {
      await service.stop();
    }
  });

  it('restarts nothing once stopped: neither a restart already scheduled nor the process it started', async () => {
    const { service, lines, starts } = await supervise([50, -1]);
    await until(() => lines.some((l) => l.startsWith('!')));
    await service.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(starts()).toBe(1);
    expect(lines.filter((l) => l.includes('is running again'))).toEqual([]);

    const slow = await supervise([50, -1]);
    await until(() => slow.starts() === 2);
    const starting = slow.service.pid;
    await slow.service.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(() => process.kill(starting, 0)).toThrow();
    expect(slow.starts()).toBe(2);
  });
});
