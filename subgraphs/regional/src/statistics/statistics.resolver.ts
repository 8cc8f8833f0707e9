import { longFormatRows, REGION_CODE, releaseRegionalDataset, statisticsDataset, STATISTICS_DATASETS, type StatisticsRow as LongRow } from '@sodertorn/statistics';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { runStatisticsRound } from './statistics-round';
import { StatisticsRelease } from './statistics-release.entity';
import { StatisticsDatasetInfo, StatisticsReleaseEntry, StatisticsRow, StatisticsTable } from './statistics.type';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function toRow(row: LongRow): StatisticsRow {
  return {
    period: String(row.period),
    municipalityCode: String(row.municipality_code),
    dimension: String(row.dimension),
    category: String(row.category),
    measure: String(row.measure),
    unit: String(row.unit),
    value: row.value as number | null,
    suppressed: Boolean(row.suppressed),
    reason: row.reason as string | null,
  };
}

@Resolver()
export class StatisticsResolver {
  @Query(() => [StatisticsDatasetInfo], { description: 'The datasets of the joint statistics: what statistics(dataset) and /stats/DATASET.csv accept.' })
  statisticsDatasets(): StatisticsDatasetInfo[] {
    return STATISTICS_DATASETS.map((d) => ({
      name: d.name,
      kind: d.kind,
      measure: d.measure,
      dimension: d.dimension,
      unit: d.unit,
      categories: [...d.categories],
      yearTotals: d.yearTotal,
      perMunicipality: d.kind === 'count',
    }));
  }

  @Query(() => [StatisticsReleaseEntry], {
    description: 'The release log of the joint statistics, newest first: which table went to which client, when, over which municipalities. For the region’s coordinators.',
  })
  async statisticsReleases(
    @Arg('dataset', () => String, { nullable: true }) dataset: string | null | undefined,
    @Arg('clientSub', () => String, { nullable: true, description: 'Only releases to this client.' }) clientSub: string | null | undefined,
    @Arg('limit', () => Int, { defaultValue: 100, description: '1–1000.' }) limit: number,
    @Ctx() { em }: RegionalContext,
  ): Promise<StatisticsReleaseEntry[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badInput('limit must be between 1 and 1000.');
    // An argument left out arrives as undefined, one given as null as null: both mean no filter.
    const where = { ...(dataset == null ? {} : { dataset }), ...(clientSub == null ? {} : { clientSub }) };
    const entries = await em.find(StatisticsRelease, where, { orderBy: { id: 'desc' }, limit });
    return entries.map((e) => ({ ...e, id: String(e.id) }));
  }

  @Query(() => StatisticsTable, {
    description:
      `A regional table of the joint statistics for one dataset (${STATISTICS_DATASETS.map((d) => d.name).join(', ')}) and year: ` +
      'summed over every reachable municipality by secure aggregation, released after disclosure control with each municipality’s own protected table, and logged.',
  })
  async statistics(
    @Arg('dataset') datasetName: string,
    @Arg('year', () => Int) year: number,
    @Ctx() { em, shards, identity, requestId, logger, statistics }: RegionalContext,
  ): Promise<StatisticsTable> {
    const dataset = statisticsDataset(datasetName);
    if (!dataset) throw badInput(`Unknown dataset ${datasetName}; known: ${STATISTICS_DATASETS.map((d) => d.name).join(', ')}.`);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year must be between 2000 and 2100.');
    const round = await runStatisticsRound(shards, year, { dataset: dataset.kind === 'count' ? dataset.name : undefined, requestId, logger });
    const { regional: released, municipal } = await releaseRegionalDataset(dataset, year, round.totals, statistics.threshold, round.tables);
    const rows = [...longFormatRows(released, REGION_CODE), ...municipal.flatMap((table) => longFormatRows(table, table.municipalityCode))];
    const entry = new StatisticsRelease({
      dataset: dataset.name,
      year,
      municipalitiesCovered: round.covered,
      threshold: released.threshold,
      clientSub: identity?.sub ?? 'unknown',
      requestId,
    });
    await em.persist(entry).flush();
    return {
      ...released,
      municipalitiesCovered: round.covered,
      municipalitiesMissing: round.missing.map((m) => m.municipalityCode),
      missingReasons: round.missing,
      rows: rows.map(toRow),
      releasedAt: entry.releasedAt,
    };
  }
}
