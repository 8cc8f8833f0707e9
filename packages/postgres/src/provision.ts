import { Client } from 'pg';
import { withDatabase } from './connection-url';

export interface ServiceDatabase {
  /** Name of both the database and the login role that owns it. */
  name: string;
  password: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (or brings up to date) one database and one login role for one service.
 *
 * The role owns its database and nothing else; CONNECT is revoked from PUBLIC, so
 * no other municipality's role can even open a session on it. Returns the URL
 * the service connects with. Safe to run again on an existing server.
 */
export async function provisionServiceDatabase(adminUrl: string, db: ServiceDatabase): Promise<string> {
  if (!IDENTIFIER.test(db.name)) throw new Error(`invalid database name "${db.name}": use lower-case letters, digits and _`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = admin.escapeIdentifier(db.name);
    const password = admin.escapeLiteral(db.password);
    const roleExists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [db.name]);
    await admin.query(
      roleExists.rowCount
        ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${password} NOSUPERUSER NOCREATEDB NOCREATEROLE`
        : `CREATE ROLE ${role} WITH LOGIN PASSWORD ${password} NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    );
    const dbExists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    if (!dbExists.rowCount) {
      // The admin may not be a superuser (a managed server); it must be able to act as the new role.
      await admin.query(`GRANT ${role} TO CURRENT_USER`).catch(() => undefined);
      await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
    }
    await admin.query(`REVOKE ALL ON DATABASE ${role} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${role} TO ${role}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, db.name, { user: db.name, password: db.password });
}

/** Drops a service database and its role; used by tests to clean up after themselves. */
export async function dropServiceDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const ident = admin.escapeIdentifier(name);
    await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${ident}`);
  } finally {
    await admin.end();
  }
}
