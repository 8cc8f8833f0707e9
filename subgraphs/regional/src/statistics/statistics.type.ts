import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One cell of a released regional statistics table (after disclosure control).' })
export class StatisticsCell {
  @Field({ description: 'Quarter, e.g. 2026Q3.' })
  period!: string;

  @Field({ description: 'The category of the dimension, e.g. POLICE.' })
  category!: string;

  @Field(() => Int, { nullable: true, description: 'The regional total; null when suppressed.' })
  value!: number | null;

  @Field()
  suppressed!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why suppressed: PRIMARY (0 < value < threshold), SECONDARY (complement, so that no small cell can be worked out from the totals), TABLE (the whole table withheld); null when published.',
  })
  reason!: string | null;
}

@ObjectType({
  description:
    'A regional statistics table: quarters × categories of one dataset and year, summed over the covered municipalities by secure aggregation and released after disclosure control.',
})
export class StatisticsTable {
  @Field({ description: 'intakes_by_referral_source or exits_by_outcome.' })
  dataset!: string;

  @Field({ description: 'What is counted: intakes, exits.' })
  measure!: string;

  @Field({ description: 'The column dimension: referral_source, exit_outcome.' })
  dimension!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => [String], { description: 'Kommunkoder whose counts the totals include; a municipality that did not answer is left out and named in municipalitiesMissing.' })
  municipalitiesCovered!: string[];

  @Field(() => [String], { description: 'Members of the region not covered by this table (unreachable or refused).' })
  municipalitiesMissing!: string[];

  @Field(() => Int, { description: 'Cells with 0 < value < threshold are suppressed (default 5, never below 3).' })
  threshold!: number;

  @Field(() => [StatisticsCell], { description: 'Row by row: quarter-major, categories in the dataset order.' })
  cells!: StatisticsCell[];

  @Field(() => [Int], { nullable: 'items', description: 'Per quarter, in order; null when withheld (reason TABLE).' })
  rowTotals!: (number | null)[];

  @Field(() => [Int], { nullable: 'items', description: 'Per category, in order; null when withheld (reason TABLE).' })
  columnTotals!: (number | null)[];

  @Field({ description: 'When the table was released (and logged).' })
  releasedAt!: Date;
}
