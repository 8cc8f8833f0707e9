import { datasetTable, releaseTable, statisticsDataset, STATISTICS_DATASETS } from '@sodertorn/statistics';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { runStatisticsRound } from './statistics-round';
import { StatisticsRelease } from './statistics-release.entity';
import { StatisticsTable } from './statistics.type';

@Resolver()
export class StatisticsResolver {
  @Query(() => StatisticsTable, {
    description:
      `A regional table of the joint statistics for one dataset (${STATISTICS_DATASETS.map((d) => d.name).join(', ')}) and year: ` +
      'summed over every reachable municipality by secure aggregation, released after disclosure control, and logged.',
  })
  async statistics(
    @Arg('dataset') dataset: string,
    @Arg('year', () => Int) year: number,
    @Ctx() { em, shards, identity, requestId, logger, statistics }: RegionalContext,
  ): Promise<StatisticsTable> {
    const definition = statisticsDataset(dataset);
    if (!definition) throw new GraphQLError(`Unknown dataset ${dataset}.`, { extensions: { code: 'BAD_USER_INPUT' } });
    if (!Number.isInteger(year) || year < 2000 || year > 2100) {
      throw new GraphQLError('year must be between 2000 and 2100.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const round = await runStatisticsRound(shards, year, { requestId, logger, observe: statistics.observe });
    const released = await releaseTable(definition, year, datasetTable(round.totals, dataset), statistics.threshold);
    const entry = new StatisticsRelease({
      dataset,
      year,
      municipalitiesCovered: round.covered,
      threshold: released.threshold,
      clientSub: identity?.sub ?? 'unknown',
      requestId,
    });
    await em.persist(entry).flush();
    return { ...released, municipalitiesCovered: round.covered, municipalitiesMissing: round.missing.map((m) => m.municipalityCode), releasedAt: entry.releasedAt };
  }
}
