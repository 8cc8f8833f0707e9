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

/** Connects and runs pending migrations. */
export async function openRegionalDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(regionalOrmConfig(clientUrl, log));
  await orm.getMigrator().up();
  return orm;
}
