import { Client } from 'pg';
import { withDatabase } from './connection-url';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (or updates) the login role a service runs as, beside the owner role that
 * `provisionServiceDatabase` made and migrations run as. It may connect to its one database and
 * owns nothing there; what it may do with the tables, the owner grants after migrating (see
 * `runtimeGrants` in service-kit). Returns the URL the service connects with.
 */
export async function provisionRuntimeRole(adminUrl: string, database: string, role: { name: string; password: string }): Promise<string> {
  for (const name of [database, role.name]) if (!IDENTIFIER.test(name)) throw new Error(`invalid name "${name}": use lower-case letters, digits and _`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const ident = admin.escapeIdentifier(role.name);
    const password = admin.escapeLiteral(role.password);
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
    const attributes = `LOGIN PASSWORD ${password} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`;
    await admin.query(exists.rowCount ? `ALTER ROLE ${ident} WITH ${attributes}` : `CREATE ROLE ${ident} WITH ${attributes}`);
    await admin.query(`GRANT CONNECT ON DATABASE ${admin.escapeIdentifier(database)} TO ${ident}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, database, { user: role.name, password: role.password });
}

/** Drops a runtime role (tests clean up with it); its database's grants go with it. */
export async function dropRuntimeRole(adminUrl: string, database: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(adminUrl, database) });
  await admin.connect();
  try {
    const ident = admin.escapeIdentifier(name);
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (!exists.rowCount) return;
    await admin.query(`DROP OWNED BY ${ident}`);
    await admin.query(`DROP ROLE ${ident}`);
  } finally {
    await admin.end();
  }
}
