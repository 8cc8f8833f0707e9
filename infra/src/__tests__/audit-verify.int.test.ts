import { startTestShard, type TestShard } from '@sodertorn/municipality/testing';
import { withDatabase } from '@sodertorn/postgres';
import { adminDatabaseUrl, bearer, postGraphQL, Role } from '@sodertorn/testing';
import { execFile } from 'node:child_process';
import { Client } from 'pg';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = require.resolve('@sodertorn/infra/dist/audit-verify.js');

async function verify(url: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, '--database-url', url]);
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** As the superuser, past the append-only trigger: what an attacker with full database access could do. */
async function tamper(shard: TestShard, sql: string): Promise<void> {
  const db = new Client({ connectionString: withDatabase(adminDatabaseUrl(), shard.database.name) });
  await db.connect();
  try {
    await db.query('alter table audit_log disable trigger user');
    await db.query(sql);
    await db.query('alter table audit_log enable trigger user');
  } finally {
    await db.end();
  }
}

describe('npm run audit:verify', () => {
  let shard: TestShard;

  beforeEach(async () => {
    shard = await startTestShard('0126', { seed: true });
    const read = await postGraphQL(shard.url, `{ participants { firstName } }`, {}, await bearer(Role.CASEWORKER, '0126'));
    expect(read.errors).toBeUndefined();
  });
  afterEach(async () => {
    await shard.destroy();
  });

  it('reports an intact chain and exits 0', async () => {
    const result = await verify(shard.database.url);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/[1-9]\d* rows, chain intact/);
  });

  it('names an edited row and exits 1', async () => {
    await tamper(shard, `update audit_log set actor_sub = 'someone-else' where seq = 3`);
    const result = await verify(shard.database.url);
    expect(result.code).toBe(1);
    expect(result.output).toContain('row 3: its content does not match its hash');
  });

  it('notices a deleted row', async () => {
    await tamper(shard, `delete from audit_log where seq = 5`);
    const result = await verify(shard.database.url);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/row 6: (expected row 5|does not link)/);
  });

  it('notices reordered rows', async () => {
    await tamper(
      shard,
      `update audit_log set seq = 1000 where seq = 2; update audit_log set seq = 2 where seq = 4; update audit_log set seq = 4 where seq = 1000`,
    );
    const result = await verify(shard.database.url);
    expect(result.code).toBe(1);
    expect(result.output).toContain('CHAIN BROKEN');
  });
});
