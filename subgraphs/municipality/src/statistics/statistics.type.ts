import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A released figure (after disclosure control): the value, or why it is missing.' })
export class MunicipalStatisticsValue {
  @Field(() => Float, {
    nullable: true,
    description: 'The perturbed count (0, or at least the threshold) or the ratio; null when withheld or undefined (see reason).',
  })
  value!: number | null;

  @Field({ description: 'True when withheld for privacy.' })
  suppressed!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'COARSENED (a quarter figure of a table too small to publish by quarter: see the year figures), PROTECTED (a ratio over too few), ' +
      'NOT_ADDITIVE (a year total that does not exist), NO_DATA (a ratio with nothing to divide by); null when published.',
  })
  reason!: string | null;
}

@ObjectType({ description: 'One cell of a released statistics table.' })
export class MunicipalStatisticsCell extends MunicipalStatisticsValue {
  @Field({ description: 'Quarter, e.g. 2026Q3.' })
  period!: string;

  @Field({ description: 'The category of the dimension, e.g. POLICE.' })
  category!: string;
}

@ObjectType({ description: "This municipality's own statistics table (quarters × categories), perturbed in this deployment before it leaves it." })
export class MunicipalStatisticsTable {
  @Field()
  dataset!: string;

  @Field()
  measure!: string;

  @Field()
  dimension!: string;

  @Field({ description: 'people, placements, days or share (0–1).' })
  unit!: string;

  @Field(() => Int)
  year!: number;

  @Field()
  municipalityCode!: string;

  @Field(() => Int, { description: 'Perturbed counts below it are published as 0 (never below 3).' })
  threshold!: number;

  @Field(() => [MunicipalStatisticsCell], { description: 'Row by row: quarter-major, categories in the dataset order.' })
  cells!: MunicipalStatisticsCell[];

  @Field(() => [MunicipalStatisticsValue], { description: 'Per quarter, over all categories.' })
  rowTotals!: MunicipalStatisticsValue[];

  @Field(() => [MunicipalStatisticsValue], { description: 'Per category, over the year.' })
  columnTotals!: MunicipalStatisticsValue[];

  @Field(() => MunicipalStatisticsValue, { description: 'The year, over all categories.' })
  total!: MunicipalStatisticsValue;
}

@ObjectType({ description: "This municipality's part of one secure-aggregation round (for the regional subgraph)." })
export class StatisticsContribution {
  @Field(() => [Float], {
    description:
      "This municipality's cells of every block and the key sums of its keyed blocks (layout: @sodertorn/statistics STATISTICS_BLOCKS) masked with pairwise masks for the round: " +
      'noise on its own, the regional totals when the vectors of every listed participant are summed modulo 2^32. Integers in [0, 2^32), hence Float.',
  })
  maskedCells!: number[];

  @Field(() => [MunicipalStatisticsTable], {
    description: 'Its own table of every count dataset, perturbed (and coarsened) here with the record keys of the release.',
  })
  tables!: MunicipalStatisticsTable[];
}

@ObjectType({ description: 'A version of a statistics public key and its fingerprint (16 hex digits of SHA-256 over the raw key).' })
export class StatisticsKeyVersion {
  @Field(() => Int)
  version!: number;

  @Field()
  fingerprint!: string;
}

@ObjectType({ description: "Another member's statistics public key version that this deployment knows." })
export class StatisticsKnownKey extends StatisticsKeyVersion {
  @Field(() => ID)
  municipalityCode!: string;
}

@ObjectType({
  description:
    'The statistics keys this deployment holds (public facts only), so that the region can run a round over members that all know each ' +
    "other's keys, each with a key version every participant knows.",
})
export class StatisticsKeys {
  @Field(() => [StatisticsKeyVersion], { description: 'Versions of this municipality’s own key that it holds a private key for.' })
  own!: StatisticsKeyVersion[];

  @Field(() => [StatisticsKnownKey], { description: "Other members' public key versions configured here (STATISTICS_PUBLIC_KEYS)." })
  known!: StatisticsKnownKey[];

  @Field({ description: 'DEVELOPMENT: seeds from the shared STATISTICS_SEED_SECRET; agrees with every member whose own fingerprint is the same.' })
  sharedSecret!: boolean;
}
