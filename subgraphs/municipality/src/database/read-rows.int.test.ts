import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { openMunicipalityDatabase } from './orm';
import { readRows } from './read-rows';

describe('readRows', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase('readrows');
    orm = await openMunicipalityDatabase(database.url);
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('binds each ? to its value, in order, with the casts of the statement', async () => {
    const rows = await readRows<{ a: string; b: number; c: boolean; d: string[]; e: string }>(
      orm.em.fork(),
      `select ?::text as a, ?::int as b, ?::boolean as c, ?::text[] as d, (?::date + 1)::text as e`,
      ["it's ? not a placeholder", 42, true, '{x,y}', '2026-12-31'],
    );
    expect(rows).toEqual([{ a: "it's ? not a placeholder", b: 42, c: true, d: ['x', 'y'], e: '2027-01-01' }]);
  });

  it('sees, inside a transaction, the rows that transaction wrote and nobody else sees yet', async () => {
    const insert = `insert into housing_unit (id, kind, places, district, street_address, wheelchair_accessible, suitable_for_children, status, created_at, updated_at)
                    values ('6f1d2c7e-0000-4000-8000-000000000001', 'PROTECTED', 3, 'Centrum', 'Testgatan 1', false, false, 'AVAILABLE', now(), now())`;
    const count = `select count(*)::int as n from housing_unit where district = ?`;
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await tx.execute(insert);
        const inside = await readRows<{ n: number }>(tx, count, ['Centrum']);
        const outside = await readRows<{ n: number }>(orm.em.fork(), count, ['Centrum']);
        expect({ inside, outside }).toEqual({ inside: [{ n: 1 }], outside: [{ n: 0 }] });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await readRows(orm.em.fork(), count, ['Centrum'])).toEqual([{ n: 0 }]);
  });

  it('gives its connection back to the pool, also when the statement fails', async () => {
    const em = orm.em.fork();
    for (let i = 0; i < 25; i++) await expect(readRows(em, 'select 1 / ?::int as n', [0])).rejects.toThrow(/division by zero/);
    // The pool holds 10: had a failed statement kept its connection, this would wait for ever (jest's timeout).
    expect(await readRows(em, 'select ?::int as n', [7])).toEqual([{ n: 7 }]);
  });
  it('prepares each statement under a name of its own, so PostgreSQL plans it once per connection', async () => {
    // The statement finds itself among the session's prepared statements: named, and prepared by the protocol (not PREPARE).
    const itself = `select name, from_sql as "fromSql" from pg_prepared_statements where statement like '%' || ?::text || '%'`;
    const other = `select ?::int as n -- another statement`;
    const first = await readRows<{ name: string; fromSql: boolean }>(orm.em.fork(), itself, ['pg_prepared_statements where statement like']);
    expect(first).toEqual([{ name: expect.stringMatching(/^read_rows_\d+$/), fromSql: false }]);
    expect(await readRows(orm.em.fork(), other, [1])).toEqual([{ n: 1 }]);
    expect(await readRows(orm.em.fork(), other, [2])).toEqual([{ n: 2 }]); // new values, the same prepared statement
    const again = await readRows<{ name: string }>(orm.em.fork(), itself, ['pg_prepared_statements where statement like']);
    expect(again.map((row) => row.name)).toEqual(first.map((row) => row.name));
  });
  it('has PostgreSQL plan them once, generically, not for the values of each read', async () => {
    const counters = `select generic_plans as "generic", custom_plans as "custom" from pg_prepared_statements where statement like '%' || ?::text || '%'`;
    // The statement's own counters, as PostgreSQL holds them while running it: every run so far on its connection was generic.
    for (let i = 0; i < 3; i++) {
      const [row] = await readRows<{ generic: string; custom: string }>(orm.em.fork(), counters, ['generic_plans as "generic"']);
      expect(Number(row!.custom)).toBe(0);
      expect(Number(row!.generic)).toBeGreaterThan(0);
    }
    expect(await readRows(orm.em.fork(), 'show plan_cache_mode', [])).toEqual([{ plan_cache_mode: 'force_generic_plan' }]);
  });
});
