import type { EntityManager } from '@mikro-orm/postgresql';
import { CoverageLockedError } from '@sodertorn/service-kit';

/** Advisory lock of the participation record: one key, so every round's check and record queue here. */
const COVERAGE_LOCK_KEY = 726_130_003;
const HOUR_MS = 60 * 60 * 1000;

export interface CoverageRequest {
  /** The calendar year the round counts. */
  year: number;
  /** Kommunkoder of every participant of the round, this one included (any order). */
  participants: readonly string[];
  /** The window in hours (STATISTICS_COVERAGE_LOCK_HOURS); 0 turns the lock off. */
  lockHours: number;
  /** The time of the round; default now (tests pass another). */
  now?: Date;
}

/** The set a shard is locked to for a year, and when that lock ends. */
export interface CoverageLock {
  lockedParticipants: string[];
  lockedUntil: Date;
}

/**
 * The coverage lock against differencing. A regional total over eight
 * municipalities minus one over seven is the eighth's own vector; so a shard
 * takes part in a round for a year only if every round it took part in for that
 * year within the last `lockHours` had the same participants. The same set again
 * is always fine: same data, same totals, nothing new learnt.
 *
 * In one transaction, under an advisory lock (two concurrent rounds over
 * different sets cannot both pass): finds the most recent round of that year
 * within the window over a different set and refuses with it, or records this
 * round's participation. Rows older than the window are pruned on the way.
 * With `lockHours` 0 nothing is checked or recorded.
 *
 * A round is recorded as soon as this shard takes part, whether or not the
 * region completes it: the shard cannot know, and a vector it gave stays usable
 * (the missing participant could still answer that round later).
 *
 * @throws CoverageLockedError (`STATISTICS_COVERAGE_LOCKED`, with the locked set and `lockedUntil`)
 */
export async function guardCoverage(em: EntityManager, request: CoverageRequest): Promise<void> {
  const window = coverageWindow(request);
  if (!window) return;
  await em.transactional(async (tx) => {
    // `tx.execute` runs inside this transaction (a connection's `execute` would not, and the lock would go at once).
    await tx.execute('select pg_advisory_xact_lock(?)', [COVERAGE_LOCK_KEY]);
    await tx.execute('delete from statistics_participation where taken_at <= ?', [window.start]);
    const lock = await differingRound(tx, request.year, window);
    if (lock) throw new CoverageLockedError(request.year, lock.lockedParticipants, lock.lockedUntil);
    await tx.execute('insert into statistics_participation (year, participants, taken_at) values (?, ?::text[], ?)', [request.year, window.set, window.now]);
  });
}

/**
 * What guardCoverage would refuse with now, without recording anything: for a
 * check before a round (so that a member that is down is found before the others
 * take part, and lock themselves to a set that cannot complete). Only advisory:
 * guardCoverage decides when the round is asked for.
 */
export async function findCoverageLock(em: EntityManager, request: CoverageRequest): Promise<CoverageLock | null> {
  const window = coverageWindow(request);
  return window ? differingRound(em, request.year, window) : null;
}

interface CoverageWindow {
  /** The sorted participants as a PostgreSQL array literal. */
  set: string;
  now: Date;
  start: Date;
  lockHours: number;
}

function coverageWindow({ participants, lockHours, now = new Date() }: CoverageRequest): CoverageWindow | null {
  if (!Number.isInteger(lockHours) || lockHours < 0) throw new RangeError(`lockHours must be a whole number ≥ 0, got ${lockHours}`);
  if (lockHours === 0) return null;
  if (!participants.every((code) => /^\d{4}$/.test(code)) || new Set(participants).size !== participants.length) {
    throw new RangeError('participants must be distinct four-digit kommunkoder');
  }
  // Safe to inline as an array literal: every element was just checked to be four digits.
  return { set: `{${[...participants].sort().join(',')}}`, now, start: new Date(now.getTime() - lockHours * HOUR_MS), lockHours };
}

/** The most recent round of the year within the window over another set: its lock ends last. */
async function differingRound(em: EntityManager, year: number, window: CoverageWindow): Promise<CoverageLock | null> {
  const [row] = await em.execute<{ participants: string[]; taken_at: Date | string }[]>(
    `select participants, taken_at from statistics_participation
      where year = ? and taken_at > ? and participants <> ?::text[]
      order by taken_at desc limit 1`,
    [year, window.start, window.set],
  );
  if (!row) return null;
  return { lockedParticipants: row.participants, lockedUntil: new Date(new Date(row.taken_at).getTime() + window.lockHours * HOUR_MS) };
}
