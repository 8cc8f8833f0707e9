import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { MunicipalityReachability } from '../notifications/municipality-reachability.entity';
import { NotificationDelivery } from '../notifications/notification-delivery.entity';
import { NotificationEvent } from '../notifications/notification-event.entity';
import { PlacementEvent } from '../placements/placement-event.entity';
import { Placement } from '../placements/placement.entity';
import { RegisteredMunicipality } from '../region/registered-municipality.entity';
import { StatisticsPublication } from '../statistics/statistics-publication.entity';
import { StatisticsRelease } from '../statistics/statistics-release.entity';
import { pendingMigrationsMessage, runtimeGrants } from '@sodertorn/service-kit';
import { migrations } from './migrations';

export const entities = [
  RegisteredMunicipality,
  Placement,
  PlacementEvent,
  StatisticsRelease,
  StatisticsPublication,
  NotificationEvent,
  NotificationDelivery,
  MunicipalityReachability,
];

/** The ORM configuration of the regional subgraph. Holds no personal data, ever. */
export function regionalOrmConfig(clientUrl: string, log: (message: string) => void = () => undefined): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: 10 },
    debug: false,
    logger: log,
    allowGlobalContext: false,
  });
}

/** Connects as the owner and runs pending migrations (tests; a deployment runs `migrate`, then connects). */
export async function openRegionalDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(regionalOrmConfig(clientUrl, log));
  await orm.getMigrator().up();
  return orm;
}

/** The `migrate` command's work: as the owner role, run pending migrations, then grant the runtime role (if named) its rights. */
export async function migrateRegionalDatabase(ownerUrl: string, runtimeRole: string | undefined, log?: (message: string) => void): Promise<string[]> {
  const orm = await MikroORM.init(regionalOrmConfig(ownerUrl, log));
  try {
    const ran = await orm.getMigrator().up();
    if (runtimeRole) {
      const connection = orm.em.getConnection();
      for (const statement of runtimeGrants(runtimeRole, { readOnly: ['mikro_orm_migrations'] })) await connection.execute(statement);
    }
    return ran.map((migration) => migration.name);
  } finally {
    await orm.close();
  }
}

/** Connects as the runtime role, which may not migrate: refuses to start on a database that lacks a migration. */
export async function connectRegionalDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(regionalOrmConfig(clientUrl, log));
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length) {
    await orm.close();
    throw pendingMigrationsMessage(
      'regional subgraph',
      pending.map((migration) => migration.name),
    );
  }
  return orm;
}
