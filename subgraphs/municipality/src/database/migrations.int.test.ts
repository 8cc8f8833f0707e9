import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { migrations } from './migrations';
import { municipalityOrmConfig, openMunicipalityDatabase } from './orm';

/** What MikroORM would still have to run to make the database match the entities. */
async function pendingSchemaChanges(orm: MikroORM): Promise<string> {
  return (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim();
}

async function userTables(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em
    .getConnection()
    .execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by table_name`,
    );
  return rows.map((row) => row.table_name);
}

async function enumTypes(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em
    .getConnection()
    .execute<{ typname: string }[]>(
      `select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typtype = 'e' order by t.typname`,
    );
  return rows.map((row) => row.typname);
}

async function userFunctions(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em
    .getConnection()
    .execute<{ proname: string }[]>(
      `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by p.proname`,
    );
  return rows.map((row) => row.proname);
}

describe('Municipal database migrations', () => {
  const opened: { database: TestDatabase; orm: MikroORM }[] = [];

  async function freshlyMigrated(): Promise<MikroORM> {
    const database = await createTestDatabase('migrations');
    const orm = await openMunicipalityDatabase(database.url);
    opened.push({ database, orm });
    return orm;
  }

  afterAll(async () => {
    for (const { database, orm } of opened) {
      await orm.close();
      await database.drop();
    }
  });

  describe('on a fresh database', () => {
    it('leaves no difference between the entities and the migrated schema', async () => {
      const orm = await freshlyMigrated();
      expect(await pendingSchemaChanges(orm)).toBe('');
    });

    it('records every committed migration as executed, in order', async () => {
      const orm = await freshlyMigrated();
      const executed = await orm.getMigrator().getExecutedMigrations();
      expect(executed.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    });

    it('creates every entity table', async () => {
      const orm = await freshlyMigrated();
      expect(await userTables(orm)).toEqual([
        'audit_log',
        'booking',
        'cull_run',
        'housing_unit',
        'idempotent_operation',
        'legal_hold',
        'participant',
        'participant_phase_change',
        'placement_request',
        'statistics_participation',
        'support_resource',
      ]);
    });
  });

  describe('the drift check', () => {
    // Proves the comparison above can fail: each kind of drift a migration could
    // introduce is made by hand, and the schema generator must name every one.
    it('reports columns, checks, indexes, foreign keys, uniques and enum values that stray from the entities', async () => {
      const orm = await freshlyMigrated();
      const connection = orm.em.getConnection();
      await connection.execute('alter table housing_unit alter column district type varchar(50)');
      await connection.execute('alter table housing_unit alter column places type integer');
      await connection.execute('alter table support_resource alter column capacity drop not null');
      await connection.execute('alter table booking drop constraint booking_places_positive');
      await connection.execute('alter table participant drop constraint participant_exit_complete');
      await connection.execute('alter table participant add constraint participant_exit_complete check (exit_date is null)');
      await connection.execute('drop index booking_unit_period_index');
      await connection.execute('alter table booking drop constraint booking_unit_id_foreign');
      await connection.execute('alter table participant drop constraint participant_personal_identity_number_unique');
      await connection.execute('alter table participant add column nickname text');
      await connection.execute(`alter type housing_unit_status rename value 'RETIRED' to 'GONE'`);
      await connection.execute('alter table placement_request alter column status drop default');
      await connection.execute('alter table placement_request drop constraint placement_request_allowed_kinds_valid');
      await connection.execute('alter table placement_request alter column support_needs drop default');
      await connection.execute('drop index placement_request_one_live_per_participant');
      await connection.execute('alter table booking alter column sending_municipality type varchar(10)');
      await connection.execute('alter table idempotent_operation alter column result drop not null');
      await connection.execute('drop index statistics_participation_year_taken_at_index');
      await connection.execute('alter table statistics_participation alter column year type integer');
      await connection.execute('drop index idempotent_operation_created_at_index');

      const sql = await pendingSchemaChanges(orm);
      expect(sql).toContain('alter column "district" type varchar(100)');
      expect(sql).toContain('alter column "places" type smallint');
      expect(sql).toContain('alter column "capacity" set not null');
      expect(sql).toContain('add constraint booking_places_positive check(places > 0)');
      expect(sql).toContain('add constraint participant_exit_complete check((exit_date is null) = (exit_outcome is null))');
      expect(sql).toContain('create index "booking_unit_period_index"');
      expect(sql).toContain('add constraint "booking_unit_id_foreign" foreign key');
      expect(sql).toContain('add constraint "participant_personal_identity_number_unique" unique');
      expect(sql).toContain('drop column "nickname"');
      expect(sql).toContain(`add value if not exists 'RETIRED'`);
      expect(sql).toContain(`set default 'DRAFT'`);
      expect(sql).toContain('add constraint placement_request_allowed_kinds_valid check(');
      expect(sql).toContain(`alter column "support_needs" set default '{}'`);
      expect(sql).toContain('create unique index "placement_request_one_live_per_participant"');
      expect(sql).toContain('alter column "sending_municipality" type varchar(4)');
      expect(sql).toContain('alter column "result" set not null');
      expect(sql).toContain('create index "statistics_participation_year_taken_at_index" on "statistics_participation" ("year", "taken_at")');
      expect(sql).toContain('alter column "year" type smallint');
      expect(sql).toContain('create index "idempotent_operation_created_at_index" on "idempotent_operation" ("created_at")');
    });
  });

  describe('the placements migration on a database with data', () => {
    it('gives existing requests every unit kind and no needs, and existing rows their creation time as last update', async () => {
      const database = await createTestDatabase('migrations');
      const orm = await MikroORM.init(municipalityOrmConfig(database.url));
      opened.push({ database, orm });
      await orm.getMigrator().up({ to: 'Migration20261127010000AuditLog' });
      const connection = orm.em.getConnection();
      await connection.execute(
        `insert into participant (id, first_name, last_name, personal_identity_number, protected_identity, birth_date, gender, household_adults, household_children, phase, referral_source, risk_level, excluded_municipalities, intake_date, responsible_caseworker, created_at, updated_at)
         values ('00000000-0000-4000-8000-000000000001', 'A', 'B', '199001019802', false, '1990-01-01', 'MALE', 1, 0, 'ACTIVE', 'POLICE', 'LOW', '{}', '2026-01-01', 'cw', now(), now())`,
      );
      await connection.execute(
        `insert into placement_request (id, participant_id, status, urgency, earliest_start, expected_duration_days, created_at)
         values ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'OPEN', 'HIGH', '2026-12-01', 30, '2026-10-01T10:00:00Z')`,
      );
      await connection.execute(
        `insert into housing_unit (id, kind, places, district, street_address, wheelchair_accessible, suitable_for_children, status, created_at, updated_at)
         values ('00000000-0000-4000-8000-000000000003', 'PROTECTED', 1, 'X', 'Y 1', false, false, 'AVAILABLE', now(), now())`,
      );
      await connection.execute(
        `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at)
         values ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000003', 1, '2027-01-01', '2027-02-01', 'HELD', '2026-10-02T10:00:00Z')`,
      );

      await orm.getMigrator().up();
      const [request] = await connection.execute(
        `select allowed_kinds, support_needs, needs_wheelchair_access, placement_id, updated_at = created_at as same from placement_request`,
      );
      expect(request).toEqual({
        allowed_kinds: ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'],
        support_needs: [],
        needs_wheelchair_access: false,
        placement_id: null,
        same: true,
      });
      const [booking] = await connection.execute(`select placement_id, sending_municipality, expires_at, updated_at = created_at as same from booking`);
      expect(booking).toEqual({ placement_id: null, sending_municipality: null, expires_at: null, same: true });
      expect(await pendingSchemaChanges(orm)).toBe('');
    });
  });

  describe('rolling back', () => {
    it('removes every table and enum type the migrations created', async () => {
      const orm = await freshlyMigrated();
      expect((await enumTypes(orm)).length).toBeGreaterThan(0);
      await orm.getMigrator().down({ to: 0 });
      expect(await userTables(orm)).toEqual([]);
      expect(await enumTypes(orm)).toEqual([]);
      expect(await userFunctions(orm)).toEqual([]);
    });

    it('can migrate up again after rolling back, with no drift', async () => {
      const orm = await freshlyMigrated();
      await orm.getMigrator().down({ to: 0 });
      await orm.getMigrator().up();
      expect(await pendingSchemaChanges(orm)).toBe('');
    });
  });
});
