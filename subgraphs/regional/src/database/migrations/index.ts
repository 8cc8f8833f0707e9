import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100RegionRegistry } from './Migration20261127000100RegionRegistry';
import { Migration20261127020100Placements } from './Migration20261127020100Placements';

/** Every migration in order. Listed explicitly so the compiled service needs no file globbing. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261127000100RegionRegistry', class: Migration20261127000100RegionRegistry },
  { name: 'Migration20261127020100Placements', class: Migration20261127020100Placements },
];
