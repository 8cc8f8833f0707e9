import { bearer, Role, waitUntilBlocked } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { caller, codes, newKey, newUnit, sql } from '../__tests__/placement-support';
import { SeededRandom } from '../demo/random';
import { addDays } from '@sodertorn/service-kit';
import type { HousingUnit } from '../housing/housing-unit.entity';
import { startTestShard, type TestShard } from '../test-support';
import { Booking } from './booking.entity';
import { BookingStatus } from './booking.enums';

const HOLD = `mutation($input: HoldPlacesInput!, $key: String!) {
  holdPlaces(municipalityCode: "0138", input: $input, idempotencyKey: $key) { id status }
}`;

/** Every (unit, day) on which confirmed and live held places exceed the unit's places, worked out day by day. */
const OVER_BOOKED_DAYS = `
  select b.unit_id, day::date as day, sum(b.places) as occupied, min(u.places) as places
    from booking b
    join housing_unit u on u.id = b.unit_id
    join lateral generate_series(b.starts_on, b.ends_on - 1, interval '1 day') as day on true
   where b.status = 'CONFIRMED' or (b.status = 'HELD' and (b.expires_at is null or b.expires_at > now()))
   group by b.unit_id, day
  having sum(b.places) > min(u.places)`;

const INSERT = `insert into booking (id, unit_id, places, starts_on, ends_on, status, expires_at, created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, now(), now())`;
/** The trigger's message: the unit, the count and the day; nothing about anyone. */
const REFUSAL = /^housing unit [0-9a-f-]{36} would be over-booked: \d+ places taken of \d+ on \d{4}-\d{2}-\d{2}$/;

describe('No unit is ever over-booked', () => {
  let shard: TestShard;
  /** The regional saga's token: holds are its step. */
  let serviceToken: Record<string, string>;
  /** Connections as the deployment's own database role: what any code path of the service could do. */
  let serviceRole: Client;
  let other: Client;

  beforeAll(async () => {
    shard = await startTestShard('0138');
    serviceToken = await bearer(Role.SERVICE);
    serviceRole = new Client({ connectionString: shard.database.url });
    other = new Client({ connectionString: shard.database.url });
    await Promise.all([serviceRole.connect(), other.connect()]);
  });
  afterAll(async () => {
    await Promise.all([serviceRole?.end(), other?.end()]);
    await shard.destroy();
  });

  const overBookedDays = () => sql(shard, OVER_BOOKED_DAYS);
  const insert = (client: Client, unit: HousingUnit, places: number, startsOn: string, endsOn: string, status = 'CONFIRMED', expiresAt: Date | null = null) =>
    client.query(INSERT, [randomUUID(), unit.id, places, startsOn, endsOn, status, expiresAt]);

  async function book(
    unit: HousingUnit,
    places: number,
    startsOn: string,
    endsOn: string,
    status = BookingStatus.CONFIRMED,
    expiresAt: Date | null = null,
  ): Promise<Booking> {
    const booking = Object.assign(new Booking(unit, places, startsOn, endsOn, status), { expiresAt });
    await shard.orm.em.fork().persistAndFlush(booking);
    return booking;
  }

  describe('through the API', () => {
    it('gives the last free place to exactly one of 50 concurrent holds; the other 49 get NO_FREE_PLACES', async () => {
      const unit = await newUnit(shard, 3);
      await book(unit, 2, '2027-04-01', '2027-05-01');
      const input = () => ({
        unitId: unit.id,
        places: 1,
        startsOn: '2027-04-10',
        endsOn: '2027-04-20',
        placementId: randomUUID(),
        sendingMunicipality: '0126',
      });
      const gql = caller(shard);

      const results = await Promise.all(Array.from({ length: 50 }, () => gql(HOLD, { input: input(), key: newKey() }, serviceToken)));

      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(won[0]!.data!.holdPlaces.status).toBe('HELD');
      expect(lost.map((r) => codes(r))).toEqual(Array(49).fill(['NO_FREE_PLACES']));
      for (const r of lost) expect(r.errors![0]!.extensions).toMatchObject({ freePlaces: 0, asked: 1 });
      expect(await sql(shard, `select id from booking where unit_id = ? and status = 'HELD'`, [unit.id])).toEqual([{ id: won[0]!.data!.holdPlaces.id }]);
      expect(await overBookedDays()).toEqual([]);
    });

    it('never over-books under 60 concurrent holds of random places and overlapping periods', async () => {
      const random = new SeededRandom('concurrent-holds');
      const units = await Promise.all([newUnit(shard, 2), newUnit(shard, 4)]);
      const gql = caller(shard);
      const results = await Promise.all(
        Array.from({ length: 60 }, () => {
          const start = random.int(0, 20);
          const input = {
            unitId: random.pick(units).id,
            places: random.int(1, 2),
            startsOn: addDays('2027-06-01', start),
            endsOn: addDays('2027-06-01', start + random.int(1, 10)),
            placementId: randomUUID(),
            sendingMunicipality: '0126',
          };
          return gql(HOLD, { input, key: newKey() }, serviceToken);
        }),
      );
      expect(new Set(results.flatMap((r) => codes(r)))).toEqual(new Set(['NO_FREE_PLACES']));
      expect(results.filter((r) => !r.errors).length).toBeGreaterThan(1);
      expect(await overBookedDays()).toEqual([]);
    });
  });

  describe("in the database itself, as the service's own role", () => {
    it('connects as the deployment role, not a superuser', async () => {
      const { rows } = await serviceRole.query(`select current_user as user, rolsuper from pg_roles where rolname = current_user`);
      expect(rows).toEqual([{ user: shard.database.name, rolsuper: false }]);
    });

    it('refuses an insert that over-books with check_violation, naming the unit and day only', async () => {
      const unit = await newUnit(shard, 2);
      await insert(serviceRole, unit, 1, '2027-08-01', '2027-08-10');
      await insert(serviceRole, unit, 1, '2027-08-05', '2027-08-20', 'HELD', new Date(Date.now() + 3_600_000));
      const refused = await insert(serviceRole, unit, 1, '2027-08-09', '2027-08-12').catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: '23514', constraint: 'booking_within_capacity' });
      expect((refused as Error).message).toMatch(REFUSAL);
      expect((refused as Error).message).toBe(`housing unit ${unit.id} would be over-booked: 3 places taken of 2 on 2027-08-09`);
      expect((await sql(shard, 'select id from booking where unit_id = ?', [unit.id])).length).toBe(2);
      // The day after the first booking ends there is room again.
      await insert(serviceRole, unit, 1, '2027-08-10', '2027-08-12');
      expect(await overBookedDays()).toEqual([]);
    });

    it('refuses a multi-row insert that over-books only together', async () => {
      const unit = await newUnit(shard, 1);
      await expect(
        serviceRole.query(
          `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at, updated_at)
           values ($1, $3, 1, '2027-09-01', '2027-09-05', 'CONFIRMED', now(), now()), ($2, $3, 1, '2027-09-04', '2027-09-08', 'CONFIRMED', now(), now())`,
          [randomUUID(), randomUUID(), unit.id],
        ),
      ).rejects.toMatchObject({ code: '23514' });
      expect(await sql(shard, 'select id from booking where unit_id = ?', [unit.id])).toEqual([]);
    });

    type Ids = { unit: string; a: string; released: string; expired: string; elsewhere: string };
    it.each<[string, (ids: Ids) => [string, string[]]]>([
      ['more places', ({ a }: Ids) => [`update booking set places = 2 where id = $1`, [a]]],
      ['a longer stay', ({ a }: Ids) => [`update booking set ends_on = '2027-10-15' where id = $1`, [a]]],
      ['an earlier start', ({ a }: Ids) => [`update booking set starts_on = '2027-09-25' where id = $1`, [a]]],
      ['a released booking confirmed again', ({ released }: Ids) => [`update booking set status = 'CONFIRMED' where id = $1`, [released]]],
      ['an expired hold revived', ({ expired }: Ids) => [`update booking set expires_at = now() + interval '1 day' where id = $1`, [expired]]],
      ['a booking of another unit moved in', ({ elsewhere, unit }: Ids) => [`update booking set unit_id = $2 where id = $1`, [elsewhere, unit]]],
    ])('refuses an update that over-books: %s', async (_what, statement) => {
      // Two places, full on every day from 15 September to 20 October.
      const unit = await newUnit(shard, 2);
      const a = await book(unit, 1, '2027-10-01', '2027-10-10');
      await book(unit, 1, '2027-09-20', '2027-10-20');
      await book(unit, 1, '2027-10-10', '2027-10-30');
      await book(unit, 1, '2027-09-15', '2027-10-01');
      const released = await book(unit, 1, '2027-10-01', '2027-10-10', BookingStatus.RELEASED);
      const expired = await book(unit, 1, '2027-10-01', '2027-10-10', BookingStatus.HELD, new Date(Date.now() - 60_000));
      const elsewhere = await book(await newUnit(shard, 1), 1, '2027-10-01', '2027-10-05');
      expect(await overBookedDays()).toEqual([]);
      const before = await sql(shard, 'select * from booking order by id');

      const [query, params] = statement({ unit: unit.id, a: a.id, released: released.id, expired: expired.id, elsewhere: elsewhere.id });
      await expect(serviceRole.query(query, params)).rejects.toMatchObject({ code: '23514', message: expect.stringMatching(REFUSAL) });
      expect(await sql(shard, 'select * from booking order by id')).toEqual(before);
    });

    it('lets expired holds and released bookings in even when the unit is full, and lets a booking shrink', async () => {
      const unit = await newUnit(shard, 1);
      await insert(serviceRole, unit, 1, '2027-11-01', '2027-11-30');
      await insert(serviceRole, unit, 1, '2027-11-05', '2027-11-10', 'HELD', new Date(Date.now() - 60_000));
      await insert(serviceRole, unit, 1, '2027-11-05', '2027-11-10', 'RELEASED');
      await serviceRole.query(`update booking set ends_on = '2027-11-20' where unit_id = $1 and status = 'CONFIRMED'`, [unit.id]);
      expect((await sql(shard, 'select id from booking where unit_id = ?', [unit.id])).length).toBe(3);
    });

    it('counts an ended booking until its day of moving out: ending a stay early does not free its places before then', async () => {
      const unit = await newUnit(shard, 1);
      await insert(serviceRole, unit, 1, '2027-12-01', '2027-12-31');
      await serviceRole.query(`update booking set status = 'ENDED', ends_on = '2027-12-20' where unit_id = $1`, [unit.id]);
      await expect(insert(serviceRole, unit, 1, '2027-12-10', '2027-12-15')).rejects.toMatchObject({ code: '23514', message: expect.stringMatching(REFUSAL) });
      await insert(serviceRole, unit, 1, '2027-12-20', '2027-12-25'); // from the day of moving out the place is free
      expect((await sql(shard, 'select id from booking where unit_id = ?', [unit.id])).length).toBe(2);
    });

    it('queues concurrent writers on the unit: the second of two transactions taking the last place waits, then is refused', async () => {
      const unit = await newUnit(shard, 1);
      await serviceRole.query('begin');
      await insert(serviceRole, unit, 1, '2027-12-01', '2027-12-10');
      await other.query('begin');
      const second = insert(other, unit, 1, '2027-12-05', '2027-12-06').then(
        () => 'inserted',
        (error: { code?: string }) => error.code,
      );
      // The second insert waits on the unit's row lock while the first transaction is open.
      await waitUntilBlocked(serviceRole);
      await serviceRole.query('commit');
      expect(await second).toBe('23514');
      await other.query('rollback');
      expect((await sql(shard, 'select id from booking where unit_id = ?', [unit.id])).length).toBe(1);
    });

    it('gives the last place to one of 20 simultaneous raw inserts; the others get check_violation, none a deadlock', async () => {
      const unit = await newUnit(shard, 1);
      const clients = Array.from({ length: 20 }, () => new Client({ connectionString: shard.database.url }));
      await Promise.all(clients.map((client) => client.connect()));
      try {
        const outcomes = await Promise.all(
          clients.map(async (client) => {
            await client.query('begin');
            try {
              await insert(client, unit, 1, '2028-02-01', '2028-02-10');
              await client.query('commit');
              return 'inserted';
            } catch (error) {
              await client.query('rollback');
              return (error as { code?: string }).code;
            }
          }),
        );
        expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
        expect(outcomes.filter((o) => o !== 'inserted')).toEqual(Array(19).fill('23514'));
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
      expect(await overBookedDays()).toEqual([]);
    });

    it('can be deferred to the end of a transaction, so two bookings can swap their periods', async () => {
      const unit = await newUnit(shard, 1);
      const a = await book(unit, 1, '2028-01-01', '2028-01-10');
      const b = await book(unit, 1, '2028-01-10', '2028-01-20');
      const swap = async (client: Client) => {
        await client.query(`update booking set starts_on = '2028-01-10', ends_on = '2028-01-20' where id = $1`, [a.id]);
        await client.query(`update booking set starts_on = '2028-01-01', ends_on = '2028-01-10' where id = $1`, [b.id]);
      };
      await serviceRole.query('begin');
      await expect(swap(serviceRole)).rejects.toMatchObject({ code: '23514' });
      await serviceRole.query('rollback');

      await serviceRole.query('begin');
      await serviceRole.query('set constraints booking_within_capacity deferred');
      await swap(serviceRole);
      await serviceRole.query('commit');
      expect(await sql(shard, `select id, to_char(starts_on, 'YYYY-MM-DD') as starts_on from booking where unit_id = ? order by starts_on`, [unit.id])).toEqual(
        [
          { id: b.id, starts_on: '2028-01-01' },
          { id: a.id, starts_on: '2028-01-10' },
        ],
      );
      expect(await overBookedDays()).toEqual([]);
    });
  });
});
