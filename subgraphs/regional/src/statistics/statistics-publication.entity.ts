import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { MunicipalReleasedTable, ReleasedTable } from '@sodertorn/statistics';

/**
 * A released dataset and year, stored as released: every later export of it
 * answers these cells, so that nothing can be learnt by asking again and
 * differencing. A new release of the year (releaseStatistics) is a new row with
 * the next release number, perturbed with new record keys. The values are
 * perturbed already (the cell key method); the plain counts are never stored.
 */
@Entity({ tableName: 'statistics_publication' })
@Unique({ name: 'statistics_publication_year_release_dataset_unique', properties: ['year', 'release', 'dataset'] })
export class StatisticsPublication {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ type: 'smallint' })
  year: number;

  /** 1 for the year's first release, then 2, … (at most MAX_RELEASES_PER_YEAR). */
  @Property({ type: 'smallint' })
  release: number;

  @Property({ length: 100 })
  dataset: string;

  /** Kommunkoder whose cells the regional table covers. */
  @Property({ type: 'text[]' })
  municipalitiesCovered: string[];

  /** Members left out of the round, with why. */
  @Property({ type: 'jsonb' })
  missing: { municipalityCode: string; reason: string }[];

  /** The regional table and the covered municipalities' own tables (count datasets), as released. */
  @Property({ type: 'jsonb' })
  tables: { regional: ReleasedTable; municipal: MunicipalReleasedTable[] };

  @Property({ type: 'timestamptz' })
  releasedAt: Date = new Date();

  constructor(data: {
    year: number;
    release: number;
    dataset: string;
    municipalitiesCovered: string[];
    missing: StatisticsPublication['missing'];
    tables: StatisticsPublication['tables'];
  }) {
    this.year = data.year;
    this.release = data.release;
    this.dataset = data.dataset;
    this.municipalitiesCovered = data.municipalitiesCovered;
    this.missing = data.missing;
    this.tables = data.tables;
  }
}
