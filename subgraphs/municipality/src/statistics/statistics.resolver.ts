import { GraphQLError } from 'graphql';
import { datasetTable, devPairwiseSeed, maskVector, releaseTable, statisticsDataset, STATISTICS_DATASETS } from '@sodertorn/statistics';
import { Arg, Ctx, Float, ID, Int, Query, Resolver } from 'type-graphql';
import type { ShardContext } from '../context';
import { statisticsVector } from './statistics.service';
import { MunicipalStatisticsTable } from './statistics.type';

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new GraphQLError('year must be between 2000 and 2100.', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/**
 * Joint statistics from this municipality: its cells masked for secure
 * aggregation (the region only), and its own table after disclosure control.
 * Plain per-municipality counts never leave this deployment.
 */
@Resolver()
export class StatisticsResolver {
  @Query(() => [Float], {
    description:
      "This municipality's cell vector for one year (layout: @sodertorn/statistics STATISTICS_DATASETS, quarter-major), " +
      'masked with pairwise masks for the round: noise on its own, the true regional totals when the vectors of every listed participant are summed modulo 2^32. ' +
      'Values are integers in [0, 2^32), hence Float (GraphQL Int is 32-bit signed). For the regional subgraph (SERVICE) only.',
  })
  async maskedStatistics(
    @Arg('round', { description: 'A label unique to this round; never reuse one for other data.' }) round: string,
    @Arg('participants', () => [ID], { description: 'Kommunkoder of every participant of the round, this one included; at least two.' }) participants: string[],
    @Arg('year', () => Int) year: number,
    @Ctx() { em, municipalityCode, statistics, logger }: ShardContext,
  ): Promise<number[]> {
    assertYear(year);
    if (!statistics.seedSecret) {
      throw new GraphQLError('This deployment has no STATISTICS_SEED_SECRET and takes part in no statistics round.', { extensions: { code: 'STATISTICS_NOT_CONFIGURED' } });
    }
    if (round.length === 0 || round.length > 200) throw new GraphQLError('round must be 1–200 characters.', { extensions: { code: 'BAD_USER_INPUT' } });
    const unique = new Set(participants);
    if (unique.size !== participants.length || !participants.every((p) => /^[0-9]{4}$/.test(p))) {
      throw new GraphQLError('participants must be distinct kommunkoder.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    if (!unique.has(municipalityCode)) throw new GraphQLError(`participants must include ${municipalityCode}.`, { extensions: { code: 'BAD_USER_INPUT' } });
    // With one participant there is no mask: the "masked" vector would be the plain one.
    if (unique.size < 2) throw new GraphQLError('A round needs at least two participants.', { extensions: { code: 'BAD_USER_INPUT' } });
    const cells = await statisticsVector(em, year);
    logger.info({ round, participants: participants.length, year }, 'statistics round: masked vector released');
    return maskVector(municipalityCode, participants, devPairwiseSeed(statistics.seedSecret), round, cells);
  }

  @Query(() => MunicipalStatisticsTable, {
    description: `This municipality's own table for one dataset (${STATISTICS_DATASETS.map((d) => d.name).join(', ')}) and year, after disclosure control in this deployment.`,
  })
  async ownStatistics(
    @Arg('dataset') dataset: string,
    @Arg('year', () => Int) year: number,
    @Ctx() { em, municipalityCode, statistics }: ShardContext,
  ): Promise<MunicipalStatisticsTable> {
    assertYear(year);
    const definition = statisticsDataset(dataset);
    if (!definition) throw new GraphQLError(`Unknown dataset ${dataset}.`, { extensions: { code: 'BAD_USER_INPUT' } });
    const table = datasetTable(await statisticsVector(em, year), dataset);
    return { ...(await releaseTable(definition, year, table, statistics.threshold)), municipalityCode };
  }
}
