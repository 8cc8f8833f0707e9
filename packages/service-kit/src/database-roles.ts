import { ConfigError } from './config';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * What the migration (owner) role grants the service's runtime role after every migration: the
 * data, nothing of the schema. The runtime role owns nothing, so it can neither ALTER a table nor
 * DISABLE or DROP a trigger; on append-only tables (the audit log) it keeps only INSERT and
 * SELECT; the migrations table it may only read (to see that none is pending). Creating objects
 * in the schema is left to the owner. Statements are idempotent: run after each `migrate`.
 */
export function runtimeGrants(runtimeRole: string, options: { appendOnly?: readonly string[]; readOnly?: readonly string[] } = {}): string[] {
  if (!IDENTIFIER.test(runtimeRole)) throw new ConfigError('migrate', [`RUNTIME_ROLE: "${runtimeRole}" must be lower-case letters, digits and _`]);
  const role = `"${runtimeRole}"`;
  const statements = [
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  ];
  for (const table of options.appendOnly ?? []) statements.push(`REVOKE UPDATE, DELETE, TRUNCATE ON "${table}" FROM ${role}`);
  for (const table of options.readOnly ?? []) statements.push(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "${table}" FROM ${role}`);
  return statements;
}

/** The message a service gives when its database is behind its code: the operator runs `migrate` first. */
export function pendingMigrationsMessage(service: string, pending: readonly string[]): ConfigError {
  return new ConfigError(service, [
    `DATABASE_URL: the database lacks ${pending.length} migration(s) (${pending.join(', ')}); run this service's migrate command with the owner role first`,
  ]);
}
