import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A hot base backup with PostgreSQL's low-level backup API, as docs/operations-guide.md
 * ("Backup and restore") tells a municipality's IT to take one when its client tools do not
 * match the server (PostgreSQL manual, "Making a Base Backup Using the Low Level API"):
 *
 * 1. `pg_backup_start` in a session that stays open until step 3;
 * 2. copy the data directory while the server runs, without `pg_wal` and `postmaster.pid`;
 * 3. `pg_backup_stop`, and write the `backup_label` it returns into the copy;
 * 4. copy `pg_wal` (with WAL archiving off, the segments up to the backup's end are there).
 *
 * A server started on the copy replays that WAL and opens the cluster as it was at step 4.
 * `cp -a` keeps the owner and modes (the `postgres` system user's, 0700), which the server
 * insists on. Returns the backup's end LSN, for the report.
 */
export async function lowLevelBaseBackup(superuserUrl: string, dataDir: string, backupDir: string): Promise<{ stopLsn: string }> {
  const session = new Client({ connectionString: superuserUrl });
  await session.connect();
  try {
    await session.query(`SELECT pg_backup_start(label => 'sodertorn base backup', fast => true)`);
    execFileSync('cp', ['-a', dataDir, backupDir]); // a copy taken while the server writes: WAL replay makes it consistent
    for (const leftOut of ['postmaster.pid', 'postmaster.opts', 'pg_wal']) rmSync(join(backupDir, leftOut), { recursive: true, force: true });
    const { rows } = await session.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      `SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(wait_for_archive => false)`,
    );
    const { uid, gid } = statSync(dataDir);
    const label = join(backupDir, 'backup_label');
    writeFileSync(label, rows[0]!.labelfile, { mode: 0o600 });
    chownSync(label, uid, gid);
    if (rows[0]!.spcmapfile) throw new Error('the cluster has tablespaces of its own: this recipe copies only the data directory');
    execFileSync('cp', ['-a', join(dataDir, 'pg_wal'), join(backupDir, 'pg_wal')]);
    if (!existsSync(join(backupDir, 'PG_VERSION'))) throw new Error(`${backupDir} is not a copy of a data directory`);
    return { stopLsn: rows[0]!.lsn };
  } finally {
    await session.end();
  }
}
