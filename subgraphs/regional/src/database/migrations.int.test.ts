import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { migrations } from './migrations';
import { openRegionalDatabase } from './orm';

describe('Regional database migrations', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase('regionalmigrations');
    orm = await openRegionalDatabase(database.url);
  });
  afterAll(async () => {
    await orm.close();
    await database.drop();
  });

  describe('on a fresh database', () => {
    it('leaves no difference between the entities and the migrated schema', async () => {
      expect((await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    });

    it('records every committed migration as executed', async () => {
      expect((await orm.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    });

    it('reports drift when the schema strays from the entity', async () => {
      await orm.em.getConnection().execute('alter table municipality drop constraint municipality_code_format');
      await orm.em.getConnection().execute('alter table municipality alter column name type varchar(50)');
      const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      expect(sql).toContain(`add constraint municipality_code_format check(code ~ '^[0-9]{4}$')`);
      expect(sql).toContain('alter column "name" type varchar(100)');
    });
  });
});
