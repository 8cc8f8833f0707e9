import {
  maskVector,
  MAX_RELEASES_PER_YEAR,
  MIN_PARTICIPANTS,
  releaseDataset,
  releaseSalt,
  statisticsDataset,
  STATISTICS_DATASETS,
  type PairwiseSeeds,
  type StatisticsDataset,
} from '@sodertorn/statistics';
import {
  assertYear,
  CoverageLockedError,
  StatisticsNotConfiguredError,
  todayInStockholm,
  UnknownDatasetError,
  ValidationFailedError,
} from '@sodertorn/service-kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { ShardContext } from '../context';
import { findCoverageLock, guardCoverage } from './coverage-lock';
import { recordKeySecret, statisticsVector } from './statistics.service';
import type { StatisticsKeyring } from './pairwise-seeds';
import { MunicipalStatisticsTable, StatisticsContribution, StatisticsKeys } from './statistics.type';

const NO_KEYS = 'This deployment has no statistics key and takes part in no statistics round.';

/** Checks a round's participants and key versions for this municipality and returns its seeds for the round. */
function checkRound(
  municipalityCode: string,
  participants: readonly string[],
  keyVersions: readonly number[] | null | undefined,
  year: number,
  keyring: StatisticsKeyring | undefined,
): PairwiseSeeds {
  assertYear('year', year);
  if (!keyring) throw new StatisticsNotConfiguredError(NO_KEYS);
  const unique = new Set(participants);
  if (unique.size !== participants.length || !participants.every((p) => /^[0-9]{4}$/.test(p)))
    throw ValidationFailedError.of('participants', 'must be distinct kommunkoder');
  if (!unique.has(municipalityCode)) throw ValidationFailedError.of('participants', `must include ${municipalityCode}`);
  if (unique.size < MIN_PARTICIPANTS)
    throw ValidationFailedError.of('participants', `must be at least ${MIN_PARTICIPANTS}: with fewer, a total gives away a municipality's own figures`);
  // Without keyVersions (a region from before key versions), every participant uses version 1.
  const versions = keyVersions ?? participants.map(() => 1);
  if (versions.length !== participants.length || !versions.every((v) => Number.isInteger(v) && v >= 1))
    throw ValidationFailedError.of('keyVersions', 'must give one key version (a whole number ≥ 1) per participant, in the same order');
  const seeds = keyring.seedsFor(participants, versions);
  for (const other of participants.filter((p) => p !== municipalityCode)) {
    try {
      seeds(municipalityCode, other);
    } catch {
      throw new StatisticsNotConfiguredError(`This deployment shares no statistics key with ${other}.`);
    }
  }
  return seeds;
}

const KEY_VERSIONS = {
  nullable: true,
  description: "Each participant's statistics key version, in the order of participants; left out, version 1 for every participant.",
} as const;

function assertRelease(release: number): void {
  if (!Number.isInteger(release) || release < 1 || release > MAX_RELEASES_PER_YEAR) {
    throw ValidationFailedError.of('release', `must be 1–${MAX_RELEASES_PER_YEAR}: each release of a year draws new noise, and more of them could be averaged`);
  }
}

function datasetNamed(name: string): StatisticsDataset {
  const dataset = statisticsDataset(name);
  if (!dataset)
    throw new UnknownDatasetError(
      name,
      STATISTICS_DATASETS.map((d) => d.name),
    );
  return dataset;
}

/**
 * Joint statistics from this municipality: its cells masked for secure
 * aggregation together with its own protected table (the region only), and its
 * own table for its analysts. Plain per-municipality counts never leave this
 * deployment.
 */
@Resolver()
export class StatisticsResolver {
  @Query(() => StatisticsKeys, {
    description:
      "The statistics key versions this deployment holds and the other members' it knows, by fingerprint (no secret): " +
      'the region picks from them the members and key versions of a round. For the regional subgraph (SERVICE) only.',
  })
  statisticsKeys(@Ctx() { statistics }: ShardContext): StatisticsKeys {
    if (!statistics.keyring) throw new StatisticsNotConfiguredError(NO_KEYS);
    return statistics.keyring.info;
  }

  @Query(() => Boolean, {
    description:
      'Phase one of a secure-aggregation round: true when this municipality would take part over these participants, ' +
      'else STATISTICS_COVERAGE_LOCKED naming the set it is locked to. Releases and records nothing. For the regional subgraph (SERVICE) only.',
  })
  async statisticsReadiness(
    @Arg('participants', () => [ID]) participants: string[],
    @Arg('year', () => Int) year: number,
    @Arg('keyVersions', () => [Int], KEY_VERSIONS) keyVersions: number[] | null | undefined,
    @Ctx() { em, municipalityCode, statistics }: ShardContext,
  ): Promise<boolean> {
    checkRound(municipalityCode, participants, keyVersions, year, statistics.keyring);
    const lock = await findCoverageLock(em, { year, participants, lockHours: statistics.coverageLockHours });
    if (lock) throw new CoverageLockedError(year, lock.lockedParticipants, lock.lockedUntil);
    return true;
  }

  @Query(() => StatisticsContribution, {
    description: 'Phase two: this municipality’s part of a secure-aggregation round. For the regional subgraph (SERVICE) only.',
  })
  async statisticsContribution(
    @Arg('round', { description: 'A label unique to this round; never reuse one for other data.' }) round: string,
    @Arg('participants', () => [ID], { description: 'Kommunkoder of every participant of the round, this one included; at least three.' })
    participants: string[],
    @Arg('year', () => Int) year: number,
    @Arg('release', () => Int, {
      description: `Which release of the year (1–${MAX_RELEASES_PER_YEAR}): the record keys, and so the noise, are those of this release.`,
    })
    release: number,
    @Arg('keyVersions', () => [Int], KEY_VERSIONS) keyVersions: number[] | null | undefined,
    @Ctx() { em, municipalityCode, statistics, logger, caseReferenceKey }: ShardContext,
  ): Promise<StatisticsContribution> {
    const seeds = checkRound(municipalityCode, participants, keyVersions, year, statistics.keyring);
    assertRelease(release);
    if (round.length === 0 || round.length > 200) throw ValidationFailedError.of('round', 'must be 1–200 characters');
    const cells = await statisticsVector(em, year, todayInStockholm(), { secret: recordKeySecret(caseReferenceKey), salt: releaseSalt(year, release) });
    const maskedCells = maskVector(municipalityCode, participants, seeds, round, cells);
    const tables = STATISTICS_DATASETS.filter((d) => d.kind === 'count').map((d) => ({
      ...releaseDataset(d, year, cells, statistics.threshold, { coarsen: true }),
      municipalityCode,
    }));
    // Recorded last, when nothing else can fail: from here on this set is what the masked cells were released for.
    await guardCoverage(em, { year, participants, lockHours: statistics.coverageLockHours });
    logger.info({ round, participants: participants.length, year, release }, 'statistics round: masked cells released');
    return { maskedCells, tables };
  }

  @Query(() => MunicipalStatisticsTable, {
    description:
      `This municipality's own table for one dataset (${STATISTICS_DATASETS.map((d) => d.name).join(', ')}) and year, perturbed in this deployment ` +
      "by the cell key method with the record keys of the year's first release, and coarsened when too small.",
  })
  async ownStatistics(
    @Arg('dataset') datasetName: string,
    @Arg('year', () => Int) year: number,
    @Ctx() { em, municipalityCode, statistics, caseReferenceKey }: ShardContext,
  ): Promise<MunicipalStatisticsTable> {
    assertYear('year', year);
    const dataset = datasetNamed(datasetName);
    const cells = await statisticsVector(em, year, todayInStockholm(), { secret: recordKeySecret(caseReferenceKey), salt: releaseSalt(year, 1) });
    return { ...releaseDataset(dataset, year, cells, statistics.threshold, { coarsen: true }), municipalityCode };
  }
}
