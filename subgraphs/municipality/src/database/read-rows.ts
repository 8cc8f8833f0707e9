import type { EntityManager } from '@mikro-orm/postgresql';

/** What a pooled connection of the ORM's pool is: a node-postgres client. */
interface PgConnection {
  query(config: { text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`, worked out once per statement text. */
const numberedTexts = new Map<string, string>();
function numbered(sql: string): string {
  let text = numberedTexts.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numberedTexts.size < 1_000) numberedTexts.set(sql, text); // the statements are the code's own: a bound for safety
  }
  return text;
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
    return (await connection.query({ text: numbered(sql), values: params })).rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
