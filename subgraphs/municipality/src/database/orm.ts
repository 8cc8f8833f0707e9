import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Booking } from '../bookings/booking.entity';
import { HousingUnit } from '../housing/housing-unit.entity';
import { IdempotentOperation } from '../idempotency/idempotent-operation.entity';
import { Participant } from '../participants/participant.entity';
import { PlacementRequest } from '../placement-requests/placement-request.entity';
import { StatisticsParticipation } from '../statistics/statistics-participation.entity';
import { SupportResource } from '../support-resources/support-resource.entity';
import { migrations } from './migrations';

export const entities = [Participant, HousingUnit, Booking, SupportResource, PlacementRequest, AuditEntry, IdempotentOperation, StatisticsParticipation];

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
    pool: { min: 0, max: 10 },
    debug: false,
    logger: log,
    allowGlobalContext: false,
  });
}

/** Connects and runs pending migrations; the one way a municipal deployment opens its database. */
export async function openMunicipalityDatabase(clientUrl: string, log?: (message: string) => void): Promise<MikroORM> {
  const orm = await MikroORM.init(municipalityOrmConfig(clientUrl, log));
  await orm.getMigrator().up();
  return orm;
}
