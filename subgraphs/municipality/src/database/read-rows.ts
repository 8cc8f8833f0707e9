import type { EntityManager } from '@mikro-orm/postgresql';

/** What a pooled connection of the ORM's pool is: a node-postgres client. */
interface PgConnection {
  query(config: { text: string; name?: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A statement as node-postgres sends it: `$1, $2, …` placeholders, and the name it is prepared under. */
interface PreparedText {
  text: string;
  name?: string;
}

/**
 * Each statement text, numbered and named once. Named, node-postgres prepares it once per
 * connection and later only binds and executes it: PostgreSQL then parses, analyses and plans it
 * once per connection rather than for every read (for the unit list, planning took longer than
 * running it). The statements are the code's own, a handful; beyond a bound, they go unnamed.
 */
const preparedTexts = new Map<string, PreparedText>();
const NAMED_STATEMENTS = 1_000;
function prepared(sql: string): PreparedText {
  let statement = preparedTexts.get(sql);
  if (statement === undefined) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    if (preparedTexts.size >= NAMED_STATEMENTS) return { text };
    statement = { text, name: `read_rows_${preparedTexts.size + 1}` };
    preparedTexts.set(sql, statement);
  }
  return statement;
}

/**
 * The rows of one read-only statement with `?` placeholders (and no other `?`), as plain objects.
 * Outside a transaction, straight through a connection of the ORM's pool with the values as bind
 * parameters: a list on every region query needs neither the ORM's query formatting and logging nor
 * knex's runner, which cost more than the statement itself. Inside the entity manager's transaction,
 * through the ORM, so the statement sees the transaction's rows and locks.
 */
export async function readRows<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return em.execute<T[]>(sql, [...params]);
  const client = em.getKnex().client as { acquireConnection(): Promise<PgConnection>; releaseConnection(connection: PgConnection): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    return (await connection.query({ ...prepared(sql), values: params })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
