import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000Initial } from './Migration20261127000000Initial';
import { Migration20261127010000AuditLog } from './Migration20261127010000AuditLog';
import { Migration20261127020000Placements } from './Migration20261127020000Placements';
import { Migration20261127030000StatisticsParticipation } from './Migration20261127030000StatisticsParticipation';
import { Migration20261127040000HousingUnitPlaces } from './Migration20261127040000HousingUnitPlaces';
import { Migration20261127050000IdempotencyPruning } from './Migration20261127050000IdempotencyPruning';
import { Migration20261204000000EndedBookingsOccupy } from './Migration20261204000000EndedBookingsOccupy';
import { Migration20261205120000PhaseHistory } from './Migration20261205120000PhaseHistory';
import { Migration20261205211500AuditReadConcernsBookings } from './Migration20261205211500AuditReadConcernsBookings';
import { Migration20261205213000RetentionCull } from './Migration20261205213000RetentionCull';

/** Every migration in order. Listed explicitly so the compiled service needs no file globbing. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261127000000Initial', class: Migration20261127000000Initial },
  { name: 'Migration20261127010000AuditLog', class: Migration20261127010000AuditLog },
  { name: 'Migration20261127020000Placements', class: Migration20261127020000Placements },
  { name: 'Migration20261127030000StatisticsParticipation', class: Migration20261127030000StatisticsParticipation },
  { name: 'Migration20261127040000HousingUnitPlaces', class: Migration20261127040000HousingUnitPlaces },
  { name: 'Migration20261127050000IdempotencyPruning', class: Migration20261127050000IdempotencyPruning },
  { name: 'Migration20261204000000EndedBookingsOccupy', class: Migration20261204000000EndedBookingsOccupy },
  { name: 'Migration20261205120000PhaseHistory', class: Migration20261205120000PhaseHistory },
  { name: 'Migration20261205211500AuditReadConcernsBookings', class: Migration20261205211500AuditReadConcernsBookings },
  { name: 'Migration20261205213000RetentionCull', class: Migration20261205213000RetentionCull },
];
