import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One statistics round this municipality took part in: the year and the sorted
 * participant list. The coverage lock (guardCoverage) reads these to refuse a
 * round over a different set of municipalities for the same year. No counts.
 */
@Entity({ tableName: 'statistics_participation' })
@Index({ name: 'statistics_participation_year_taken_at_index', properties: ['year', 'takenAt'] })
export class StatisticsParticipation {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'smallint' })
  year!: number;

  /** Kommunkoder of every participant of the round, this one included, sorted. */
  @Property({ type: 'text[]' })
  participants!: string[];

  @Property({ type: 'timestamptz' })
  takenAt!: Date;
}
