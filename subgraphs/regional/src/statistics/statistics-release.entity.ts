import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The release log of the joint statistics: which table was released, when, to
 * which client (`sub`), over which municipalities and at which threshold. No
 * cell values: the log says what left, not what it said.
 */
@Entity({ tableName: 'statistics_release' })
@Index({ name: 'statistics_release_released_at_index', properties: ['releasedAt'] })
export class StatisticsRelease {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ length: 100 })
  dataset: string;

  @Property({ type: 'smallint' })
  year: number;

  /** Which release of the year (see StatisticsPublication). */
  @Property({ type: 'smallint' })
  release: number;

  /** Kommunkoder whose cells the released totals cover. */
  @Property({ type: 'text[]' })
  municipalitiesCovered: string[];

  @Property({ type: 'smallint' })
  threshold: number;

  /** The `sub` of the client the table was released to. */
  @Property({ length: 200 })
  clientSub: string;

  @Property({ length: 100 })
  requestId: string;

  @Property({ type: 'timestamptz' })
  releasedAt: Date = new Date();

  constructor(data: {
    dataset: string;
    year: number;
    release: number;
    municipalitiesCovered: string[];
    threshold: number;
    clientSub: string;
    requestId: string;
  }) {
    this.dataset = data.dataset;
    this.year = data.year;
    this.release = data.release;
    this.municipalitiesCovered = data.municipalitiesCovered;
    this.threshold = data.threshold;
    this.clientSub = data.clientSub;
    this.requestId = data.requestId;
  }
}
