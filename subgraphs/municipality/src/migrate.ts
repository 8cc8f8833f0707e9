import 'reflect-metadata';
import { runMigrateCommand } from '@sodertorn/service-kit';
import { migrateMunicipalityDatabase } from './database/orm';

/** `migrate`: brings one municipality's database up to date as its owner role (see runMigrateCommand). */
runMigrateCommand('municipality', migrateMunicipalityDatabase);
