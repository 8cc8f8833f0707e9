import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Booking } from '../bookings/booking.entity';
import { BookingStatus } from '../bookings/booking.enums';
import { SeededRandom } from '../demo/random';
import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { startTestShard, type TestShard } from '../test-support';
import { HousingUnitKind, HousingUnitStatus } from './housing-unit.enums';
import { HousingUnit } from './housing-unit.entity';

const ALL_STATUSES = Object.values(HousingUnitStatus);

/** Free places of every unit (retired ones too) over several periods at once, one alias per period. */
function freePlacesQuery(periodCount: number): string {
  const params = Array.from({ length: periodCount }, (_, i) => `$from${i}: LocalDate!, $to${i}: LocalDate!`).join(', ');
  const fields = Array.from({ length: periodCount }, (_, i) => `p${i}: freePlaces(from: $from${i}, to: $to${i})`).join(' ');
  return `query(${params}, $statuses: [HousingUnitStatus!]) {
    myMunicipality(municipalityCode: "0126") { housingUnits(filter: { statuses: $statuses }) { id ${fields} } }
  }`;
}

interface Period {
  from: string;
  to: string;
}

/** Confirmed, ended (until its day of moving out), or held and not expired (a hold without expiry never lapses). */
function occupies(booking: Booking, now = new Date()): boolean {
  if (booking.status === BookingStatus.CONFIRMED || booking.status === BookingStatus.ENDED) return true;
  return booking.status === BookingStatus.HELD && (booking.expiresAt === null || booking.expiresAt > now);
}

/** Places occupied in the unit on each day of the period, counted the slow, obvious way. */
function dailyOccupied(unit: HousingUnit, bookings: Booking[], { from, to }: Period): number[] {
  const days: number[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) {
    days.push(
      bookings
        .filter((b) => b.unit === unit && occupies(b))
        .filter((b) => b.startsOn <= day && day < b.endsOn)
        .reduce((sum, b) => sum + b.places, 0),
    );
  }
  return days;
}

/** The answer worked out the slow, obvious way: walk every day of the period. */
function bruteForceFreePlaces(unit: HousingUnit, bookings: Booking[], period: Period): number {
  if (unit.status !== HousingUnitStatus.AVAILABLE) return 0;
  return Math.max(unit.places - Math.max(0, ...dailyOccupied(unit, bookings, period)), 0);
}

interface Run {
  from: string;
  to: string;
  freePlaces: number;
}

/** Runs spelled out day by day; checks that they cover the period without gaps or overlaps, and that neighbours differ. */
function daily(runs: Run[], { from, to }: Period): number[] {
  expect(runs[0]?.from).toBe(from);
  expect(runs[runs.length - 1]?.to).toBe(to);
  const days: number[] = [];
  runs.forEach((run, i) => {
    if (i > 0) expect({ from: run.from, free: run.freePlaces }).not.toEqual({ from: runs[i - 1]!.to, free: runs[i - 1]!.freePlaces });
    if (i > 0) expect(run.from).toBe(runs[i - 1]!.to);
    for (let d = run.from; d < run.to; d = addDays(d, 1)) days.push(run.freePlaces);
  });
  return days;
}

describe('Municipal subgraph: free places of housing units', () => {
  let shard: TestShard;
  const units: HousingUnit[] = [];
  const bookings: Booking[] = [];
  /** Free places are shared capacity: a regional coordinator reads them for any municipality. */
  let coordinator: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126');
    coordinator = await bearer(Role.COORDINATOR);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  async function insert(newUnits: HousingUnit[], newBookings: Booking[]): Promise<void> {
    const em = shard.orm.em.fork();
    em.persist(newUnits);
    em.persist(newBookings);
    await em.flush();
    units.push(...newUnits);
    bookings.push(...newBookings);
  }

  async function freePlacesOverPeriods(periods: Period[]): Promise<Map<string, number[]>> {
    const variables: Record<string, unknown> = { statuses: ALL_STATUSES };
    periods.forEach((period, i) => Object.assign(variables, { [`from${i}`]: period.from, [`to${i}`]: period.to }));
    const result = await postGraphQL(shard.url, freePlacesQuery(periods.length), variables, coordinator);
    expect(result.errors).toBeUndefined();
    const rows = result.data!.myMunicipality.housingUnits as Record<string, unknown>[];
    return new Map(rows.map((row) => [row.id as string, periods.map((_, i) => row[`p${i}`] as number)]));
  }

  async function freePlaceRunsOver(period: Period): Promise<Map<string, Run[]>> {
    const result = await postGraphQL(
      shard.url,
      `query($from: LocalDate!, $to: LocalDate!, $statuses: [HousingUnitStatus!]) {
        myMunicipality(municipalityCode: "0126") { housingUnits(filter: { statuses: $statuses }) { id freePlaceRuns(from: $from, to: $to) { from to freePlaces } } } }`,
      { ...period, statuses: ALL_STATUSES },
      coordinator,
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data!.myMunicipality.housingUnits as { id: string; freePlaceRuns: Run[] }[];
    return new Map(rows.map((row) => [row.id, row.freePlaceRuns]));
  }

  function held(flat: HousingUnit, places: number, startsOn: string, endsOn: string, expiresAt: Date | null): Booking {
    return Object.assign(new Booking(flat, places, startsOn, endsOn, BookingStatus.HELD), { expiresAt });
  }

  function unit(places: number, status = HousingUnitStatus.AVAILABLE): HousingUnit {
    const created = new HousingUnit({
      kind: HousingUnitKind.TRAINING_FLAT,
      places,
      district: 'Flemingsberg',
      streetAddress: 'Provvägen 1',
      wheelchairAccessible: false,
      suitableForChildren: false,
    });
    created.status = status;
    return created;
  }

  describe('on hand-made cases', () => {
    it('counts held, confirmed and ended bookings, not released ones, with both ends of each range exclusive', async () => {
      const flat = unit(6);
      await insert(
        [flat],
        [
          new Booking(flat, 1, '2027-03-01', '2027-03-10', BookingStatus.CONFIRMED),
          new Booking(flat, 1, '2027-03-05', '2027-03-12', BookingStatus.HELD),
          new Booking(flat, 2, '2027-03-01', '2027-03-31', BookingStatus.RELEASED),
          new Booking(flat, 2, '2027-03-01', '2027-03-31', BookingStatus.ENDED),
        ],
      );
      const free = await freePlacesOverPeriods([
        { from: '2027-03-05', to: '2027-03-10' }, // both bookings on every day
        { from: '2027-03-10', to: '2027-03-12' }, // the confirmed one has moved out on the 10th
        { from: '2027-02-20', to: '2027-03-01' }, // ends the day the first stay starts
        { from: '2027-03-12', to: '2027-04-01' }, // starts the day the held stay ends
        { from: '2027-03-31', to: '2027-04-05' }, // starts the day the ended stay moved out
      ]);
      // The ended stay takes its two places up to its day of moving out, as a confirmed one does.
      expect(free.get(flat.id)).toEqual([2, 3, 6, 4, 6]);
    });

    it('gives the same counts day by day as runs of days with the same number', async () => {
      const flat = unit(4);
      await insert(
        [flat],
        [
          new Booking(flat, 1, '2027-05-03', '2027-05-10', BookingStatus.CONFIRMED),
          new Booking(flat, 2, '2027-05-05', '2027-05-08', BookingStatus.HELD),
          new Booking(flat, 1, '2027-05-10', '2027-05-12', BookingStatus.CONFIRMED), // starts as the first ends: one run with it
          new Booking(flat, 3, '2027-05-01', '2027-05-31', BookingStatus.RELEASED),
        ],
      );
      const runs = await freePlaceRunsOver({ from: '2027-05-01', to: '2027-05-15' });
      expect(runs.get(flat.id)).toEqual([
        { from: '2027-05-01', to: '2027-05-03', freePlaces: 4 },
        { from: '2027-05-03', to: '2027-05-05', freePlaces: 3 },
        { from: '2027-05-05', to: '2027-05-08', freePlaces: 1 },
        { from: '2027-05-08', to: '2027-05-12', freePlaces: 3 },
        { from: '2027-05-12', to: '2027-05-15', freePlaces: 4 },
      ]);
    });

    it('counts a hold until it expires, and one without expiry always', async () => {
      const flat = unit(5);
      const hour = 3_600_000;
      await insert(
        [flat],
        [
          held(flat, 1, '2027-07-01', '2027-07-10', new Date(Date.now() - hour)), // expired an hour ago
          held(flat, 2, '2027-07-01', '2027-07-10', new Date(Date.now() + hour)),
          held(flat, 1, '2027-07-05', '2027-07-10', null),
        ],
      );
      const free = await freePlacesOverPeriods([
        { from: '2027-07-01', to: '2027-07-05' },
        { from: '2027-07-05', to: '2027-07-06' },
      ]);
      expect(free.get(flat.id)).toEqual([3, 2]);
    });

    it('gives an out-of-service unit no free places, and never a negative number for an over-booked one', async () => {
      const closed = unit(3, HousingUnitStatus.OUT_OF_SERVICE);
      const overBooked = unit(3);
      // No write can over-book a unit from today on (the database refuses both the booking and the
      // lower places), but its places may go below what its past held: the past is over-booked then.
      const past = (days: number) => addDays(todayInStockholm(), days);
      await insert([closed, overBooked], [new Booking(overBooked, 3, past(-60), past(-53), BookingStatus.CONFIRMED)]);
      await shard.orm.em.getConnection().execute('update housing_unit set places = 1 where id = ?', [overBooked.id]);
      overBooked.places = 1;
      const free = await freePlacesOverPeriods([
        { from: past(-60), to: past(-59) },
        { from: past(-30), to: past(-29) },
      ]);
      expect(free.get(closed.id)).toEqual([0, 0]);
      expect(free.get(overBooked.id)).toEqual([0, 1]);
    });
  });

  describe('on random instances', () => {
    const random = new SeededRandom('free-places-property-test');
    const statuses = [
      HousingUnitStatus.AVAILABLE,
      HousingUnitStatus.AVAILABLE,
      HousingUnitStatus.AVAILABLE,
      HousingUnitStatus.OUT_OF_SERVICE,
      HousingUnitStatus.RETIRED,
    ];
    const bookingStatuses = Object.values(BookingStatus);

    it.each(Array.from({ length: 8 }, (_, i) => i))('agrees with a day-by-day count (instance %i)', async () => {
      // A short window, so that periods often start or end exactly where a booking does.
      const windowStart = addDays('2026-01-01', random.int(0, 700));
      const day = (offset: number) => addDays(windowStart, offset);
      const newUnits = Array.from({ length: random.int(2, 6) }, () => unit(random.int(1, 6), random.pick(statuses)));
      const newBookings: Booking[] = [];
      for (const u of newUnits) {
        for (let i = random.int(0, 12); i > 0; i--) {
          const start = random.int(0, 40);
          const booking = new Booking(u, random.int(1, 3), day(start), day(start + random.int(1, 20)), random.pick(bookingStatuses));
          if (booking.status === BookingStatus.HELD)
            booking.expiresAt = random.pick([null, new Date(Date.now() - random.int(1, 9) * 60_000), new Date(Date.now() + 3_600_000)]);
          // The database refuses a booking that would over-book its unit on some day: such a draw is released instead.
          const peak = Math.max(...dailyOccupied(u, [...newBookings, booking], { from: booking.startsOn, to: booking.endsOn }));
          if (occupies(booking) && peak > u.places) booking.status = BookingStatus.RELEASED;
          newBookings.push(booking);
        }
      }
      await insert(newUnits, newBookings);

      const periods = Array.from({ length: 5 }, () => {
        const from = random.int(-5, 50);
        return { from: day(from), to: day(from + random.int(1, 25)) };
      });
      const free = await freePlacesOverPeriods(periods);
      for (const u of units) {
        const expected = periods.map((period) => bruteForceFreePlaces(u, bookings, period));
        expect({ unit: u.id, free: free.get(u.id) }).toEqual({ unit: u.id, free: expected });
      }
      // One period per request: then the list computes them in its own statement (freePlacesPeriodAsked).
      for (const period of periods.slice(0, 2)) {
        const alone = await freePlacesOverPeriods([period]);
        for (const u of units) expect({ unit: u.id, free: alone.get(u.id) }).toEqual({ unit: u.id, free: [bruteForceFreePlaces(u, bookings, period)] });
      }

      // The same counts day by day, as runs (what the region's matching reads), over the whole window.
      const window = { from: day(-5), to: day(65) };
      const runs = await freePlaceRunsOver(window);
      for (const u of units) {
        const expected: number[] = [];
        for (let d = window.from; d < window.to; d = addDays(d, 1)) expected.push(bruteForceFreePlaces(u, bookings, { from: d, to: addDays(d, 1) }));
        expect({ unit: u.id, free: daily(runs.get(u.id)!, window) }).toEqual({ unit: u.id, free: expected });
      }
    });
  });

  describe('the period', () => {
    const SINGLE = `query($from: LocalDate!, $to: LocalDate!) {
      myMunicipality(municipalityCode: "0126") { housingUnits { id freePlaces(from: $from, to: $to) } }
    }`;

    it('refuses `to` on or before `from`, naming the field `to`', async () => {
      for (const to of ['2027-01-10', '2027-01-09']) {
        const result = await postGraphQL(shard.url, SINGLE, { from: '2027-01-10', to }, coordinator);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'to' }] });
      }
    });

    it('refuses a period over 731 days and accepts one of exactly 731', async () => {
      const tooLong = await postGraphQL(shard.url, SINGLE, { from: '2027-01-01', to: addDays('2027-01-01', 732) }, coordinator);
      expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'to' }] });
      expect(tooLong.errors?.[0]?.message).toContain('731');

      const longest = await postGraphQL(shard.url, SINGLE, { from: '2027-01-01', to: addDays('2027-01-01', 731) }, coordinator);
      expect(longest.errors).toBeUndefined();
      expect(longest.data!.myMunicipality.housingUnits.length).toBeGreaterThan(0);
    });
  });
});
