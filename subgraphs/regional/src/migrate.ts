import 'reflect-metadata';
import { runMigrateCommand } from '@sodertorn/service-kit';
import { migrateRegionalDatabase } from './database/orm';

/** `migrate`: brings the regional subgraph's database up to date as its owner role (see runMigrateCommand). */
runMigrateCommand('regional', migrateRegionalDatabase);
