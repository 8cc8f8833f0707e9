import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One cell of a released statistics table (after disclosure control).' })
export class MunicipalStatisticsCell {
  @Field({ description: 'Quarter, e.g. 2026Q3.' })
  period!: string;

  @Field({ description: 'The category of the dimension, e.g. POLICE.' })
  category!: string;

  @Field(() => Int, { nullable: true, description: 'The count; null when suppressed.' })
  value!: number | null;

  @Field()
  suppressed!: boolean;

  @Field(() => String, { nullable: true, description: 'PRIMARY (below the threshold), SECONDARY (complement), TABLE (whole table withheld); null when published.' })
  reason!: string | null;
}

@ObjectType({ description: "This municipality's own statistics table (quarters × categories), suppressed in this deployment before it leaves it." })
export class MunicipalStatisticsTable {
  @Field()
  dataset!: string;

  @Field()
  measure!: string;

  @Field()
  dimension!: string;

  @Field(() => Int)
  year!: number;

  @Field()
  municipalityCode!: string;

  @Field(() => Int, { description: 'Cells with 0 < value < threshold are suppressed (never below 3).' })
  threshold!: number;

  @Field(() => [MunicipalStatisticsCell], { description: 'Row by row: quarter-major, categories in the dataset order.' })
  cells!: MunicipalStatisticsCell[];

  @Field(() => [Int], { nullable: 'items', description: 'Per quarter; null when withheld (reason TABLE).' })
  rowTotals!: (number | null)[];

  @Field(() => [Int], { nullable: 'items', description: 'Per category; null when withheld (reason TABLE).' })
  columnTotals!: (number | null)[];
}
