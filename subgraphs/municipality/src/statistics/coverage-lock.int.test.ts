import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { GraphQLError } from 'graphql';
import { openMunicipalityDatabase } from '../database/orm';
import { findCoverageLock, guardCoverage } from './coverage-lock';
import { CoverageLockedError } from '@sodertorn/service-kit';

const ALL = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const WITHOUT_0136 = ALL.filter((code) => code !== '0136');
const HOUR = 3_600_000;
const T0 = new Date('2026-11-27T10:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

describe('The coverage lock against differencing', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase('coverage');
    orm = await openMunicipalityDatabase(database.url);
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await orm.em.getConnection().execute('delete from statistics_participation');
  });

  const guard = (participants: readonly string[], options: { year?: number; lockHours?: number; now?: Date } = {}) =>
    guardCoverage(orm.em.fork(), { year: options.year ?? 2025, participants, lockHours: options.lockHours ?? 720, now: options.now ?? T0 });

  /** The error `guard` fails with (fails the test if it passes). */
  async function refusal(participants: readonly string[], options: Parameters<typeof guard>[1] = {}): Promise<GraphQLError> {
    const outcome = await guard(participants, options).then(
      () => 'passed',
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(CoverageLockedError);
    return outcome as GraphQLError;
  }

  const recorded = async () =>
    (
      await orm.em
        .getConnection()
        .execute<{ year: number; participants: string[]; taken_at: Date }[]>('select year, participants, taken_at from statistics_participation order by id')
    ).map((row) => ({ year: row.year, participants: row.participants, takenAt: new Date(row.taken_at).toISOString() }));

  it('lets the same set take part again, in any order, recording each round with its participants sorted', async () => {
    await guard(ALL, { now: T0 });
    await guard([...ALL].reverse(), { now: at(1) });
    expect(await recorded()).toEqual([
      { year: 2025, participants: ALL, takenAt: T0.toISOString() },
      { year: 2025, participants: ALL, takenAt: at(1).toISOString() },
    ]);
  });

  it('refuses a different set for the same year within the window, naming the locked set and when the lock ends', async () => {
    await guard(ALL, { now: T0 });
    const error = await refusal(WITHOUT_0136, { now: at(24) });
    expect(error.extensions).toEqual({ code: 'STATISTICS_COVERAGE_LOCKED', lockedParticipants: ALL, lockedUntil: at(720).toISOString() });
    expect(error.message).toBe(
      'This municipality took part in a statistics round for 2025 over other municipalities (0126, 0127, 0128, 0136, 0138, 0140, 0181, 0192). ' +
        'Taking part over a different set would let the two regional totals be subtracted from each other, and the difference is the numbers ' +
        'of the municipalities in one set but not the other (differencing). Ask again over the same municipalities, or after 2026-12-27T10:00:00.000Z. ' +
        'Nothing was released.',
    );
    // The refused round is not recorded: it does not lock anything itself.
    expect(await recorded()).toEqual([{ year: 2025, participants: ALL, takenAt: T0.toISOString() }]);
  });

  it('refuses a superset too (seven first, then all eight): the difference is the same', async () => {
    await guard(WITHOUT_0136, { now: T0 });
    expect((await refusal(ALL, { now: at(1) })).extensions).toMatchObject({ lockedParticipants: WITHOUT_0136 });
  });

  it('names the most recent differing set, whose lock ends last', async () => {
    const connection = orm.em.getConnection();
    await connection.execute(`insert into statistics_participation (year, participants, taken_at) values (2025, '{0126,0127}', ?), (2025, '{0126,0128}', ?)`, [
      at(-10),
      at(-5),
    ]);
    expect((await refusal(ALL, { now: T0 })).extensions).toEqual({
      code: 'STATISTICS_COVERAGE_LOCKED',
      lockedParticipants: ['0126', '0128'],
      lockedUntil: at(715).toISOString(),
    });
  });

  it('locks each year on its own', async () => {
    await guard(ALL, { year: 2025 });
    await guard(WITHOUT_0136, { year: 2026 });
    await refusal(WITHOUT_0136, { year: 2025, now: at(1) });
    await refusal(ALL, { year: 2026, now: at(1) });
  });

  it('lets a different set take part once the window has passed, and prunes the rows outside it', async () => {
    await guard(ALL, { now: T0 });
    await refusal(WITHOUT_0136, { now: new Date(at(720).getTime() - 1) });
    await guard(WITHOUT_0136, { now: at(720) });
    expect(await recorded()).toEqual([{ year: 2025, participants: WITHOUT_0136, takenAt: at(720).toISOString() }]);
  });

  it('measures the window from the latest round over the locked set', async () => {
    await guard(ALL, { now: T0 });
    await guard(ALL, { now: at(500) });
    expect((await refusal(WITHOUT_0136, { now: at(800) })).extensions).toMatchObject({ lockedUntil: at(1220).toISOString() });
  });

  it('never refuses, and records nothing, with lockHours 0', async () => {
    await guard(ALL, { lockHours: 0 });
    await guard(WITHOUT_0136, { lockHours: 0, now: at(1) });
    await guard(['0126', '0127'], { lockHours: 0, now: at(2) });
    expect(await recorded()).toEqual([]);
  });

  it('lets exactly one of two concurrent rounds over different sets pass', async () => {
    for (let year = 2010; year < 2030; year++) {
      const outcomes = await Promise.allSettled([guard(ALL, { year }), guard(WITHOUT_0136, { year })]);
      const passed = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(passed).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toBeInstanceOf(CoverageLockedError);
    }
    const rows = await recorded();
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((row) => row.year)).size).toBe(20);
  });

  it('tells, without recording anything, which set a round would be refused for (findCoverageLock)', async () => {
    const find = (participants: readonly string[], now = at(1), lockHours = 720) =>
      findCoverageLock(orm.em.fork(), { year: 2025, participants, lockHours, now });
    expect(await find(WITHOUT_0136)).toBeNull();
    await guard(ALL, { now: T0 });
    expect(await find([...ALL].reverse())).toBeNull();
    expect(await find(WITHOUT_0136)).toEqual({ lockedParticipants: ALL, lockedUntil: at(720) });
    expect(await find(WITHOUT_0136, at(720))).toBeNull();
    expect(await find(WITHOUT_0136, at(1), 0)).toBeNull();
    expect(await recorded()).toEqual([{ year: 2025, participants: ALL, takenAt: T0.toISOString() }]);
  });

  it('refuses malformed input instead of recording it', async () => {
    await expect(guard(['0126', '0126'])).rejects.toThrow('participants must be distinct four-digit kommunkoder');
    await expect(guard(['0126', "0127'}"])).rejects.toThrow('participants must be distinct four-digit kommunkoder');
    await expect(guard(ALL, { lockHours: -1 })).rejects.toThrow('lockHours must be a whole number ≥ 0, got -1');
    expect(await recorded()).toEqual([]);
  });
});
