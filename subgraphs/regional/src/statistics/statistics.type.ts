import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

const REASONS =
  'COARSENED (a municipality’s quarter figure of a table too small to publish by quarter: see its year figures), ' +
  'PROTECTED (a ratio whose perturbed support is below the threshold, or a ratio total over one), ' +
  'NOT_ADDITIVE (a year total that does not exist), NO_DATA (a ratio with nothing to divide by); null when published.';

@ObjectType({ description: 'A released figure (after disclosure control): the value, or why it is missing.' })
export class StatisticsValue {
  @Field(() => Float, {
    nullable: true,
    description: 'The perturbed count (0, or at least the threshold; docs/statistics.md) or the ratio; null when withheld or undefined (see reason).',
  })
  value!: number | null;

  @Field({ description: 'True when withheld for privacy.' })
  suppressed!: boolean;

  @Field(() => String, { nullable: true, description: REASONS })
  reason!: string | null;
}

@ObjectType({ description: 'One cell of a released regional statistics table.' })
export class StatisticsCell extends StatisticsValue {
  @Field({ description: 'Quarter, e.g. 2026Q3.' })
  period!: string;

  @Field({ description: 'The category of the dimension, e.g. POLICE.' })
  category!: string;
}

@ObjectType({ description: 'One row of the long format (the same rows as /stats/DATASET.csv): a cell or a total, regional or of one municipality.' })
export class StatisticsRow extends StatisticsValue {
  @Field({ description: 'Quarter (2026Q3) or year (2026).' })
  period!: string;

  @Field({ description: 'A kommunkod, or ALL for the regional total over municipalitiesCovered.' })
  municipalityCode!: string;

  @Field()
  dimension!: string;

  @Field({ description: 'A category of the dimension, or TOTAL.' })
  category!: string;

  @Field()
  measure!: string;

  @Field({ description: 'people, placements, days or share (0–1).' })
  unit!: string;

  @Field({ description: "The period's first day (ISO date): 2026-07-01 for 2026Q3, 2026-01-01 for 2026." })
  periodStart!: string;

  @Field({ description: "The period's last day (ISO date): 2026-09-30 for 2026Q3, 2026-12-31 for 2026." })
  periodEnd!: string;

  @Field({ description: 'True for a total (category TOTAL, or a year figure): summing the rows where this is false counts every cell once.' })
  isTotal!: boolean;
}

@ObjectType({ description: 'A missing municipality and why.' })
export class MissingMunicipality {
  @Field()
  municipalityCode!: string;

  @Field()
  reason!: string;
}

@ObjectType({
  description:
    'A regional statistics table: quarters × categories of one dataset and year, summed over the covered municipalities by secure aggregation and perturbed by the cell key method.',
})
export class StatisticsTable {
  @Field({ description: 'The dataset, e.g. intakes_by_referral_source (see statisticsDatasets).' })
  dataset!: string;

  @Field({ description: 'What is counted or measured, e.g. intakes.' })
  measure!: string;

  @Field({ description: 'The column dimension, e.g. referral_source.' })
  dimension!: string;

  @Field({ description: 'people, placements, days or share (0–1).' })
  unit!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'Which release of the year this is (1, 2, …): the same release always answers the same numbers.' })
  release!: number;

  @Field(() => [String], { description: 'Kommunkoder whose figures the regional totals include.' })
  municipalitiesCovered!: string[];

  @Field(() => [String], { description: 'Members of the region not covered by this table.' })
  municipalitiesMissing!: string[];

  @Field(() => [MissingMunicipality], { description: 'Why each missing member is missing.' })
  missingReasons!: MissingMunicipality[];

  @Field(() => Int, { description: 'Perturbed counts below it are published as 0 (default 5, never below 3).' })
  threshold!: number;

  @Field(() => [StatisticsCell], { description: 'The regional cells, row by row: quarter-major, categories in the dataset order.' })
  cells!: StatisticsCell[];

  @Field(() => [StatisticsValue], { description: 'Regional, per quarter over all categories.' })
  rowTotals!: StatisticsValue[];

  @Field(() => [StatisticsValue], { description: 'Regional, per category over the year.' })
  columnTotals!: StatisticsValue[];

  @Field(() => StatisticsValue, { description: 'Regional, the year over all categories.' })
  total!: StatisticsValue;

  @Field(() => [StatisticsRow], {
    description:
      'The long format: the regional table (municipalityCode ALL), then each covered municipality’s own table as its shard perturbed it (count datasets only).',
  })
  rows!: StatisticsRow[];

  @Field({ description: 'When this release was made.' })
  releasedAt!: Date;
}

@ObjectType({ description: 'A dataset of the joint statistics.' })
export class StatisticsDatasetInfo {
  @Field()
  name!: string;

  @Field({ description: 'count (people or placements) or ratio.' })
  kind!: string;

  @Field()
  measure!: string;

  @Field()
  dimension!: string;

  @Field()
  unit!: string;

  @Field(() => [String])
  categories!: string[];

  @Field({ description: 'Whether the table has year totals (not for active participants, whose quarters do not add up).' })
  yearTotals!: boolean;

  @Field({ description: 'Whether each municipality’s own table comes with the regional one (count datasets).' })
  perMunicipality!: boolean;
}

@ObjectType({ description: 'One entry of the statistics release log: what was released, when, to whom. No cell values.' })
export class StatisticsReleaseEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  dataset!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'Which release of the year was answered.' })
  release!: number;

  @Field(() => [String], { description: 'Kommunkoder the released regional totals covered.' })
  municipalitiesCovered!: string[];

  @Field(() => Int)
  threshold!: number;

  @Field({ description: 'The `sub` of the client the table was released to.' })
  clientSub!: string;

  @Field({ description: 'The request id, to find the request in every service’s log.' })
  requestId!: string;

  @Field()
  releasedAt!: Date;
}
