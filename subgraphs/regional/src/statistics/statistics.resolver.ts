import {
  longFormatRows,
  MAX_RELEASES_PER_YEAR,
  REGION_CODE,
  releaseDataset,
  statisticsDataset,
  STATISTICS_DATASETS,
  type StatisticsRow as LongRow,
} from '@sodertorn/statistics';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertYear, UnknownDatasetError, ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RegionalContext } from '../context';
import { runStatisticsRound } from './statistics-round';
import { StatisticsPublication } from './statistics-publication.entity';
import { StatisticsRelease } from './statistics-release.entity';
import { StatisticsDatasetInfo, StatisticsReleaseEntry, StatisticsRow, StatisticsTable } from './statistics.type';

/** The newest release number of a year, 0 if none. */
async function latestRelease(em: EntityManager, year: number): Promise<number> {
  const newest = await em.findOne(StatisticsPublication, { year }, { orderBy: { release: 'desc' }, fields: ['release'] });
  return newest?.release ?? 0;
}

/**
 * Release `release` of a year: one secure-aggregation round with that
 * release's record keys, every dataset released from it and stored as
 * released. If another request stored the same release first, its tables stand
 * (the unique key refuses the second), so a release is made once.
 */
async function publishYear(context: RegionalContext, year: number, release: number): Promise<void> {
  const { em, shards, requestId, logger, statistics } = context;
  const round = await runStatisticsRound(shards, year, release, { requestId, logger });
  const publications = STATISTICS_DATASETS.map((dataset) => {
    const regional = releaseDataset(dataset, year, round.totals, statistics.threshold);
    const municipal = dataset.kind === 'count' ? round.tables.filter((t) => t.dataset === dataset.name) : [];
    return new StatisticsPublication({
      year,
      release,
      dataset: dataset.name,
      municipalitiesCovered: round.covered,
      missing: round.missing,
      tables: { regional, municipal },
    });
  });
  try {
    await em.fork().persist(publications).flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    logger.info({ year, release }, 'statistics: another request stored this release first; its tables stand');
  }
}

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
    periodStart: String(row.period_start),
    periodEnd: String(row.period_end),
    isTotal: Boolean(row.is_total),
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
    description:
      'The release log of the joint statistics, newest first: which table went to which client, when, over which municipalities. For the region’s coordinators.',
  })
  async statisticsReleases(
    @Arg('dataset', () => String, { nullable: true }) dataset: string | null | undefined,
    @Arg('clientSub', () => String, { nullable: true, description: 'Only releases to this client.' }) clientSub: string | null | undefined,
    @Arg('limit', () => Int, { defaultValue: 100, description: '1–1000.' }) limit: number,
    @Ctx() { em }: RegionalContext,
  ): Promise<StatisticsReleaseEntry[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw ValidationFailedError.of('limit', 'must be between 1 and 1000');
    // An argument left out arrives as undefined, one given as null as null: both mean no filter.
    const where = { ...(dataset == null ? {} : { dataset }), ...(clientSub == null ? {} : { clientSub }) };
    const entries = await em.find(StatisticsRelease, where, { orderBy: { id: 'desc' }, limit });
    return entries.map((e) => ({ ...e, id: String(e.id) }));
  }

  @Query(() => StatisticsTable, {
    description:
      `A regional table of the joint statistics for one dataset (${STATISTICS_DATASETS.map((d) => d.name).join(', ')}) and year, as released: ` +
      'summed over the municipalities by secure aggregation, perturbed by the cell key method beside each municipality’s own perturbed table, ' +
      'and stored, so that every later request answers the same numbers until a coordinator makes a new release (releaseStatistics). Each answer is logged.',
  })
  async statistics(@Arg('dataset') datasetName: string, @Arg('year', () => Int) year: number, @Ctx() context: RegionalContext): Promise<StatisticsTable> {
    const { em, identity, requestId } = context;
    const dataset = statisticsDataset(datasetName);
    if (!dataset)
      throw new UnknownDatasetError(
        datasetName,
        STATISTICS_DATASETS.map((d) => d.name),
      );
    assertYear('year', year);
    if ((await latestRelease(em, year)) === 0) await publishYear(context, year, 1);
    const publication = await em.findOneOrFail(StatisticsPublication, { year, dataset: dataset.name }, { orderBy: { release: 'desc' } });
    const { regional, municipal } = publication.tables;
    const rows = [...longFormatRows(regional, REGION_CODE), ...municipal.flatMap((table) => longFormatRows(table, table.municipalityCode))];
    const entry = new StatisticsRelease({
      dataset: dataset.name,
      year,
      release: publication.release,
      municipalitiesCovered: publication.municipalitiesCovered,
      threshold: regional.threshold,
      clientSub: identity?.sub ?? 'unknown',
      requestId,
    });
    await em.persist(entry).flush();
    return {
      ...regional,
      release: publication.release,
      municipalitiesCovered: publication.municipalitiesCovered,
      municipalitiesMissing: publication.missing.map((m) => m.municipalityCode),
      missingReasons: publication.missing,
      rows: rows.map(toRow),
      releasedAt: publication.releasedAt,
    };
  }

  @Mutation(() => Int, {
    description:
      `Makes a new release of a year's statistics (every dataset) from today's data, with new record keys, and returns its number. ` +
      `At most ${MAX_RELEASES_PER_YEAR} releases per year: each draws new noise, and releases could be averaged. For the region's coordinators.`,
  })
  async releaseStatistics(@Arg('year', () => Int) year: number, @Ctx() context: RegionalContext): Promise<number> {
    assertYear('year', year);
    const release = (await latestRelease(context.em, year)) + 1;
    if (release > MAX_RELEASES_PER_YEAR) {
      throw ValidationFailedError.of(
        'year',
        `${year} has had ${MAX_RELEASES_PER_YEAR} releases, the most a year may have: more could be averaged to take the noise off`,
      );
    }
    await publishYear(context, year, release);
    return latestRelease(context.em, year);
  }
}
