import { Client } from 'pg';

/** Runs one statement against a service's database, as a test looks behind the API. */
export async function queryRows<T>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query(query, params)).rows as T[];
  } finally {
    await db.end();
  }
}
