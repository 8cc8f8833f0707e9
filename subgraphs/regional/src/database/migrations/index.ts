import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100RegionRegistry } from './Migration20261127000100RegionRegistry';
import { Migration20261127020100Placements } from './Migration20261127020100Placements';
import { Migration20261127030100StatisticsRelease } from './Migration20261127030100StatisticsRelease';
import { Migration20261204000100PlacementPendingStep } from './Migration20261204000100PlacementPendingStep';
import { Migration20261204120100NotificationOutbox } from './Migration20261204120100NotificationOutbox';
import { Migration20261204190000StatisticsPublication } from './Migration20261204190000StatisticsPublication';
import { Migration20261205212000PlacementByRequestIndex } from './Migration20261205212000PlacementByRequestIndex';

/** Every migration in order. Listed explicitly so the compiled service needs no file globbing. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261127000100RegionRegistry', class: Migration20261127000100RegionRegistry },
  { name: 'Migration20261127020100Placements', class: Migration20261127020100Placements },
  { name: 'Migration20261127030100StatisticsRelease', class: Migration20261127030100StatisticsRelease },
  { name: 'Migration20261204000100PlacementPendingStep', class: Migration20261204000100PlacementPendingStep },
  { name: 'Migration20261204120100NotificationOutbox', class: Migration20261204120100NotificationOutbox },
  { name: 'Migration20261204190000StatisticsPublication', class: Migration20261204190000StatisticsPublication },
  { name: 'Migration20261205212000PlacementByRequestIndex', class: Migration20261205212000PlacementByRequestIndex },
];
