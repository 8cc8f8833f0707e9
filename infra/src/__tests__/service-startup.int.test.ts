import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The built entry points in this checkout (the packages' exports map no deeper paths than their entries). */
const REPO = resolve(__dirname, '../../..');
const SERVICES = {
  municipality: join(REPO, 'subgraphs/municipality/dist/main.js'),
  regional: join(REPO, 'subgraphs/regional/dist/main.js'),
  gateway: join(REPO, 'gateway/dist/main.js'),
};

/** Starts a built service with exactly `env` and returns how it ended. */
async function start(script: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('A service started alone validates its configuration first', () => {
  it('names every missing variable of a municipal deployment, and exits 1', async () => {
    const result = await start(SERVICES.municipality, {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('municipality subgraph cannot start');
    for (const name of ['MUNICIPALITY_CODE', 'DATABASE_URL', 'CASE_REFERENCE_KEY']) expect(result.stderr).toContain(`${name} is required`);
  });

  it('explains a malformed value', async () => {
    const result = await start(SERVICES.municipality, { MUNICIPALITY_CODE: '126', DATABASE_URL: 'mysql://x', CASE_REFERENCE_KEY: 'short', PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MUNICIPALITY_CODE: must be a four-digit kommunkod/);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a PostgreSQL URL/);
    expect(result.stderr).toMatch(/PORT: must be a TCP port/);
  });

  it('names each wrong statistics key setting of a municipal deployment', async () => {
    const result = await start(SERVICES.municipality, {
      MUNICIPALITY_CODE: '0126',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      CASE_REFERENCE_KEY: 'k'.repeat(40),
      AUTH_ISSUER: 'https://issuer.example',
      AUTH_AUDIENCE: 'sodertorn-federation',
      AUTH_JWKS_FILE: '/dev/null',
      STATISTICS_PRIVATE_KEY_FILE: '/nonexistent/0126.pem',
      STATISTICS_PUBLIC_KEYS: '0126=not-a-key',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('STATISTICS_PRIVATE_KEY_FILE: cannot read /nonexistent/0126.pem (ENOENT)');
    expect(result.stderr).toContain('STATISTICS_PUBLIC_KEYS: "0126=not-a-key" is not of the form 0126:2=<base64url of the raw 32-byte X25519 public key>');
  });

  it.each(Object.entries(SERVICES))('%s refuses to start without a token issuer and its keys', async (_name, script) => {
    const result = await start(script, {
      MUNICIPALITY_CODE: '0126',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      CASE_REFERENCE_KEY: 'k'.repeat(40),
      REGIONAL_SUBGRAPH_URL: 'http://127.0.0.1:1/graphql',
      ALLOW_PLAIN_HTTP: 'true', // so that the missing issuer is what is left to refuse
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AUTH_ISSUER is required/);
  });
});
