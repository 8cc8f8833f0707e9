import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Booking } from '../bookings/booking.entity';
import { HousingUnit } from '../housing/housing-unit.entity';
import { IdempotentOperation } from '../idempotency/idempotent-operation.entity';
import { Participant } from '../participants/participant.entity';
import { ParticipantPhaseChange } from '../participants/phase-change.entity';
import { PlacementRequest } from '../placement-requests/placement-request.entity';
import { StatisticsParticipation } from '../statistics/statistics-participation.entity';
import { SupportResource } from '../support-resources/support-resource.entity';
import { CullRun } from '../retention/cull-run.entity';
import { LegalHold } from '../retention/legal-hold.entity';
import { pendingMigrationsMessage, runtimeGrants } from '@sodertorn/service-kit';
import { migrations } from './migrations';

export const entities = [
  Participant,
  ParticipantPhaseChange,
  HousingUnit,
  Booking,
  SupportResource,
  PlacementRequest,
  AuditEntry,
  IdempotentOperation,
  StatisticsParticipation,
  LegalHold,
  CullRun,
];

/**
 * Each new connection plans prepared statements once, generically, instead of for the values of each
 * execution. Only the plain reads (readRows) are prepared statements with parameters — the ORM writes
 * the values into its statements — and for the unit list of every region query PostgreSQL's planning
 * took longer than running it (0.25 against 0.16 ms); the generic plan is the same plan. Through a
 * pooler in transaction mode the setting may not stay with the connection: reads are then planned
 * as before, never wrongly.
 */
function planGenerically(
  connection: { query(sql: string, done: (error: Error | null) => void): void },
  done: (error: Error | null, connection: unknown) => void,
): void {
  connection.query('set plan_cache_mode = force_generic_plan', (error) => done(error, connection));
}

/** The ORM configuration of one municipal deployment. */
export function municipalityOrmConfig(clientUrl: string, log: (message: string) => void = () => undefined): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
    // Schema changes only ever come from committed migrations.
    schemaGenerator: { disableForeignKeys: false },
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: 10, afterCreate: planGenerically },
    debug: false,
    logger: log,
    allowGlobalContext: false,
  });
}

/** Connects as the owner and runs pending migrations (tests, seeding; a deployment runs `migrate`, then connects). */
export async function openMunicipalityDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(municipalityOrmConfig(clientUrl, log));
  await orm.getMigrator().up();
  return orm;
}

/**
 * The audit log (its trigger refuses the rest of anyone) and the phase history: the runtime role
 * may only add and read rows. A phase history row goes only with its participant (the foreign
 * key's cascade, which PostgreSQL runs as the table's owner).
 */
export const APPEND_ONLY_TABLES = ['audit_log', 'participant_phase_change'];

/** Read-only for the runtime role: migrations, and what only `cull` (as the owner) writes: legal holds and the cull log. */
export const OWNER_WRITTEN_TABLES = ['mikro_orm_migrations', 'legal_hold', 'cull_run'];

/**
 * The `migrate` command's work: as the owner role, run pending migrations, then grant the runtime
 * role (if named) exactly what the service needs. Returns the migrations it ran.
 */
export async function migrateMunicipalityDatabase(ownerUrl: string, runtimeRole: string | undefined, log?: (message: string) => void): Promise<string[]> {
  const orm = await MikroORM.init(municipalityOrmConfig(ownerUrl, log));
  try {
    const ran = await orm.getMigrator().up();
    if (runtimeRole) {
      const connection = orm.em.getConnection();
      for (const statement of runtimeGrants(runtimeRole, { appendOnly: APPEND_ONLY_TABLES, readOnly: [...OWNER_WRITTEN_TABLES] }))
        await connection.execute(statement);
    }
    return ran.map((migration) => migration.name);
  } finally {
    await orm.close();
  }
}

/** Connects as the runtime role, which may not migrate: refuses to start on a database that lacks a migration. */
export async function connectMunicipalityDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(municipalityOrmConfig(clientUrl, log));
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length) {
    await orm.close();
    throw pendingMigrationsMessage(
      'municipality subgraph',
      pending.map((migration) => migration.name),
    );
  }
  return orm;
}
