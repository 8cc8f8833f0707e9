import { randomUUID } from 'node:crypto';
import {
  MIN_PARTICIPANTS,
  MODULUS,
  STATISTICS_DATASETS,
  STATISTICS_LAYOUT_VERSION,
  statisticsVectorLength,
  sumMasked,
  type MunicipalReleasedTable,
} from '@sodertorn/statistics';
import { StatisticsUnavailableError, type Logger } from '@sodertorn/service-kit';
import { ShardRefusal, type ShardClient } from '@sodertorn/shard-client';

import { MunicipalDocuments } from '../municipal-documents';
import { chooseKeyVersions, type MemberKeys } from './key-versions';

const { StatisticsKeys: KEYS, StatisticsReadiness: READINESS, StatisticsContribution: CONTRIBUTION } = MunicipalDocuments;

export interface RoundResult {
  /** The regional totals of every cell and the regional cell keys (layout of @sodertorn/statistics), over `covered`. */
  totals: number[];
  covered: string[];
  /** Members left out, with why. */
  missing: { municipalityCode: string; reason: string }[];
  /** The covered municipalities' own tables of every count dataset, as their shards perturbed them. */
  tables: MunicipalReleasedTable[];
}

interface Contribution {
  maskedCells: number[];
  tables: MunicipalReleasedTable[];
}

const COUNT_DATASETS = STATISTICS_DATASETS.filter((d) => d.kind === 'count').map((d) => d.name);

function checkedContribution(code: string, data: { statisticsContribution?: Contribution } | undefined): Contribution {
  const contribution = data?.statisticsContribution;
  const cells = contribution?.maskedCells;
  if (!Array.isArray(cells) || cells.length !== statisticsVectorLength() || !cells.every((v) => Number.isSafeInteger(v) && v >= 0 && v < MODULUS)) {
    throw new Error(`municipality ${code} sent a malformed vector`);
  }
  const tables = contribution!.tables;
  if (!Array.isArray(tables) || COUNT_DATASETS.some((name) => !tables.some((t) => t.dataset === name && t.municipalityCode === code))) {
    throw new Error(`municipality ${code} sent not every table of its own`);
  }
  return { maskedCells: cells, tables: COUNT_DATASETS.map((name) => tables.find((t) => t.dataset === name)!) };
}

const isKeyVersion = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as { version?: unknown }).version) &&
  typeof (v as { fingerprint?: unknown }).fingerprint === 'string';

function checkedKeys(code: string, data: { statisticsKeys?: MemberKeys } | undefined): MemberKeys {
  const keys = data?.statisticsKeys;
  if (
    !keys ||
    typeof keys.sharedSecret !== 'boolean' ||
    !Array.isArray(keys.own) ||
    !keys.own.every(isKeyVersion) ||
    !Array.isArray(keys.known) ||
    !keys.known.every((k) => isKeyVersion(k) && typeof k.municipalityCode === 'string')
  ) {
    throw new Error(`municipality ${code} sent malformed statistics keys`);
  }
  return keys;
}

/** The participant set a shard is locked to (see the shard's coverage lock), if that is why it refused. */
function coverageLock(error: unknown): { participants: string[]; until: string } | undefined {
  if (!(error instanceof ShardRefusal) || error.details.code !== 'STATISTICS_COVERAGE_LOCKED') return undefined;
  const participants = error.details.lockedParticipants;
  if (!Array.isArray(participants) || !participants.every((p) => typeof p === 'string' && /^[0-9]{4}$/.test(p))) return undefined;
  return { participants: participants as string[], until: String(error.details.lockedUntil ?? '') };
}

type Outcome<T> = { code: string; value: T } | { code: string; error: unknown };

async function askAll<T>(codes: readonly string[], ask: (code: string) => Promise<T>): Promise<Outcome<T>[]> {
  return Promise.all(
    codes.map(async (code) =>
      ask(code).then(
        (value) => ({ code, value }),
        (error: unknown) => ({ code, error }),
      ),
    ),
  );
}

const failed = <T>(outcomes: Outcome<T>[]) => outcomes.filter((o): o is { code: string; error: unknown } => 'error' in o);

/**
 * One secure-aggregation round over every member that can take part, in three phases.
 *
 * 0. Keys: every member's shard says which of its own key versions it holds and which versions
 *    of the others' keys it knows (fingerprints only). The round runs over the members that all
 *    know each other's keys, each on a version every participant knows (chooseKeyVersions): a
 *    member without a key, or whose key the others do not know yet, is left out and named, and a
 *    rotation moves to the new key only once every participant knows it. Keys never come from
 *    the region: each shard uses only the keys of its own configuration.
 * 1. Readiness: every participant says whether it would take part over this
 *    set. Shards keep a coverage lock: they refuse a set that differs from one
 *    they took part in recently for the same year, since two totals over sets
 *    that differ by one municipality give away that municipality's vector. A
 *    shard that does not answer is left out and the phase is asked again over
 *    the rest; a lock is followed once (the round then runs over the locked set,
 *    if every member of it is ready). Nothing is released in this phase, so
 *    leaving someone out here locks nobody.
 * 2. Contribution: each shard returns its cell vector (counts and cell keys of
 *    `release`) masked with pairwise masks over the set, and its own tables of
 *    every count dataset, perturbed in the shard; only the sum of all the masked vectors is
 *    meaningful. A shard failing now (it died between the phases) leaves the
 *    others locked to this set: the round gives up, and the same set works again
 *    once that shard is back.
 *
 * At least three participants are needed (the shards refuse fewer): one alone
 * would have no mask, and of two, each could subtract its own vector from the
 * total and have the other's.
 */
export async function runStatisticsRound(
  shards: ShardClient,
  year: number,
  release: number,
  options: { requestId?: string; logger?: Logger } = {},
): Promise<RoundResult> {
  const members = shards.codes();
  const missing: RoundResult['missing'] = [];
  const leaveOut = (code: string, reason: string) => missing.push({ municipalityCode: code, reason });
  const keys = new Map<string, MemberKeys>();
  for (const answer of await askAll(members, async (code) => checkedKeys(code, await shards.request(code, KEYS, {}, options)))) {
    if ('error' in answer) leaveOut(answer.code, (answer.error as Error).message);
    else keys.set(answer.code, answer.value);
  }
  const { versions, leftOut } = chooseKeyVersions(keys);
  for (const { municipalityCode, reason } of leftOut) leaveOut(municipalityCode, reason);
  if (leftOut.length) options.logger?.warn({ leftOut: leftOut.map((l) => l.municipalityCode) }, 'statistics round: members left out for their keys');
  const keyVersionsOf = (codes: readonly string[]) => codes.map((code) => versions.get(code)!);
  let participants = members.filter((code) => versions.has(code));
  let followedLock = false;
  while (participants.length >= MIN_PARTICIPANTS) {
    const current = participants;
    const readiness = await askAll(current, (code) =>
      shards.request(code, READINESS, { participants: current, keyVersions: keyVersionsOf(current), year }, options),
    );
    const refusals = failed(readiness);
    if (refusals.length === 0) break;
    const unreachable = refusals.filter((r) => !coverageLock(r.error)).map((r) => r.code);
    const lock = refusals.map((r) => coverageLock(r.error)).find(Boolean);
    for (const code of unreachable) leaveOut(code, (refusals.find((r) => r.code === code)!.error as Error).message);
    if (lock && !followedLock) {
      followedLock = true;
      const blocked = lock.participants.filter((code) => unreachable.includes(code) || !versions.has(code));
      if (blocked.length > 0) throw lockedOut(year, lock, blocked);
      for (const code of current.filter((c) => !lock.participants.includes(c) && !unreachable.includes(c))) {
        leaveOut(code, `left out until ${lock.until}: an earlier round of ${year} covered other municipalities`);
      }
      options.logger?.warn({ lockedTo: lock.participants }, 'statistics round: shards are locked to an earlier participant set, asking over it');
      participants = lock.participants;
    } else if (lock) {
      throw lockedOut(year, lock, unreachable);
    } else {
      options.logger?.warn({ failed: unreachable }, 'statistics round: municipalities did not answer, asking again without them');
      participants = current.filter((code) => !unreachable.includes(code));
    }
  }
  if (participants.length < MIN_PARTICIPANTS) {
    throw new StatisticsUnavailableError(
      `Fewer than ${MIN_PARTICIPANTS} municipalities can take part: no regional statistics can be computed now.`,
      missing.map((m) => m.municipalityCode),
    );
  }

  const round = `statistics/${STATISTICS_LAYOUT_VERSION}/${year}/${randomUUID()}`;
  const keyVersions = keyVersionsOf(participants);
  options.logger?.info(
    { round, keyVersions: Object.fromEntries(participants.map((code, i) => [code, keyVersions[i]])) },
    'statistics round: key versions chosen',
  );
  const contributions = await askAll(participants, async (code) =>
    checkedContribution(
      code,
      await shards.request<{ statisticsContribution?: Contribution }, Record<string, unknown>>(
        code,
        CONTRIBUTION,
        { round, participants, keyVersions, year, release },
        options,
      ),
    ),
  );
  const broken = failed(contributions);
  if (broken.length > 0) {
    options.logger?.warn({ round, failed: broken.map((b) => b.code) }, 'statistics round: municipalities failed after readiness; the round is abandoned');
    throw new StatisticsUnavailableError(
      `${broken.map((b) => b.code).join(', ')} stopped answering during the round. The others are now locked to this set of municipalities, ` +
        'so the round can only be repeated over the same set: try again when they are back.',
      broken.map((b) => b.code),
    );
  }
  const values = contributions.map((c) => (c as { value: Contribution }).value);
  return {
    totals: sumMasked(values.map((c) => c.maskedCells)),
    covered: participants,
    missing,
    tables: values.flatMap((c) => c.tables),
  };
}

function lockedOut(year: number, lock: { participants: string[]; until: string }, blocked: readonly string[]): StatisticsUnavailableError {
  return new StatisticsUnavailableError(
    `The statistics of ${year} were last computed over ${lock.participants.join(', ')}. Until ${lock.until} a table over other municipalities ` +
      `could be subtracted from that one, and ${blocked.join(', ')} cannot take part now. Try again later.`,
    blocked,
  );
}
