import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { bearer, Role, waitUntilBlocked } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { caller, newUnit, sql } from '../__tests__/placement-support';
import { SeededRandom } from '../demo/random';
import { startTestShard, type TestShard } from '../test-support';
import type { HousingUnit } from './housing-unit.entity';

const UPDATE = `mutation($id: ID!, $input: UpdateHousingUnitInput!) { updateHousingUnit(municipalityCode: "0138", id: $id, input: $input) { id places } }`;

const INSERT = `insert into booking (id, unit_id, places, starts_on, ends_on, status, expires_at, created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, now(), now())`;
const SET_PLACES = `update housing_unit set places = $2, updated_at = now() where id = $1`;
/** The trigger's message: the unit, its new places, the peak and its day; nothing about anyone. */
const REFUSAL = /^housing unit [0-9a-f-]{36} cannot have \d+ places: \d+ places are taken on \d{4}-\d{2}-\d{2}, the busiest day from today on$/;

/** Every (unit, day) from `from` on on which occupied places exceed the unit's places, counted day by day. */
const OVER_BOOKED_DAYS = `
  select b.unit_id, day::date as day, sum(b.places) as occupied, min(u.places) as places
    from booking b
    join housing_unit u on u.id = b.unit_id
    join lateral generate_series(greatest(b.starts_on, ?::date), b.ends_on - 1, interval '1 day') as day on true
   where b.unit_id = any(?::uuid[]) and (b.status = 'CONFIRMED' or (b.status = 'HELD' and (b.expires_at is null or b.expires_at > now())))
   group by b.unit_id, day
  having sum(b.places) > min(u.places)`;

describe("A unit's places cannot drop below what is booked, whatever code path writes", () => {
  let shard: TestShard;
  /** Connections as the deployment's own database role: what any code path of the service could do. */
  let serviceRole: Client;
  let other: Client;
  const today = todayInStockholm();
  const day = (n: number) => addDays(today, n);

  beforeAll(async () => {
    shard = await startTestShard('0138');
    serviceRole = new Client({ connectionString: shard.database.url });
    other = new Client({ connectionString: shard.database.url });
    await Promise.all([serviceRole.connect(), other.connect()]);
  });
  afterAll(async () => {
    await Promise.all([serviceRole?.end(), other?.end()]);
    await shard.destroy();
  });

  const insert = (client: Client, unit: HousingUnit, places: number, startsOn: string, endsOn: string, status = 'CONFIRMED', expiresAt: Date | null = null) =>
    client.query(INSERT, [randomUUID(), unit.id, places, startsOn, endsOn, status, expiresAt]);
  const setPlaces = (client: Client, unit: HousingUnit, places: number) => client.query(SET_PLACES, [unit.id, places]);
  const placesOf = async (unit: HousingUnit) => (await sql<{ places: number }>(shard, 'select places from housing_unit where id = ?', [unit.id]))[0]!.places;
  const overBookedDays = (units: HousingUnit[]) => sql(shard, OVER_BOOKED_DAYS, [today, `{${units.map((u) => u.id).join(',')}}`]);
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'done',
      (error: { code?: string }) => error.code ?? String(error),
    );

  /** Five places; 3 taken on days 5–9 from today, 2 on the other days up to day 15; much more in the past and in lapsed or released bookings. */
  async function busyUnit(): Promise<HousingUnit> {
    const unit = await newUnit(shard, 5);
    await insert(serviceRole, unit, 5, day(-30), day(-20)); // the past: full, but over
    await insert(serviceRole, unit, 5, day(-10), today); // moved out today: no longer counts
    await insert(serviceRole, unit, 4, day(1), day(9), 'RELEASED');
    await insert(serviceRole, unit, 4, day(1), day(9), 'HELD', new Date(Date.now() - 60_000)); // lapsed
    await insert(serviceRole, unit, 2, today, day(10));
    await insert(serviceRole, unit, 1, day(5), day(15), 'HELD', new Date(Date.now() + 3_600_000));
    return unit;
  }

  describe('a raw UPDATE', () => {
    it('is refused below the peak from today on, with check_violation naming the unit, the places and the peak only', async () => {
      const unit = await busyUnit();
      const refused = await setPlaces(serviceRole, unit, 2).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: '23514', constraint: 'housing_unit_places_cover_bookings', table: 'housing_unit' });
      expect((refused as Error).message).toMatch(REFUSAL);
      expect((refused as Error).message).toBe(`housing unit ${unit.id} cannot have 2 places: 3 places are taken on ${day(5)}, the busiest day from today on`);
      expect(await placesOf(unit)).toBe(5);
    });

    it('passes when lowering to exactly the peak; past days, lapsed holds and released bookings do not count', async () => {
      const unit = await busyUnit();
      await setPlaces(serviceRole, unit, 3);
      expect(await placesOf(unit)).toBe(3);
      await expect(setPlaces(serviceRole, unit, 2)).rejects.toMatchObject({ code: '23514' });
      expect(await overBookedDays([unit])).toEqual([]);
    });

    it('passes for a unit with no bookings ahead, for raising places and for other columns of a full unit', async () => {
      const empty = await newUnit(shard, 4);
      await insert(serviceRole, empty, 4, day(-40), day(-1));
      await setPlaces(serviceRole, empty, 1);
      expect(await placesOf(empty)).toBe(1);

      const full = await newUnit(shard, 2);
      await insert(serviceRole, full, 2, day(1), day(5));
      await serviceRole.query(`update housing_unit set district = 'Vårby', status = 'OUT_OF_SERVICE', places = places where id = $1`, [full.id]);
      await setPlaces(serviceRole, full, 3);
      expect(await placesOf(full)).toBe(3);
    });

    it('refuses a multi-unit update as a whole when one unit would be over-booked', async () => {
      const [roomy, full] = await Promise.all([newUnit(shard, 3), newUnit(shard, 3)]);
      await insert(serviceRole, full, 3, day(2), day(4));
      await expect(serviceRole.query(`update housing_unit set places = 1 where id = any($1::uuid[])`, [[roomy.id, full.id]])).rejects.toMatchObject({
        code: '23514',
        message: expect.stringContaining(full.id),
      });
      expect([await placesOf(roomy), await placesOf(full)]).toEqual([3, 3]);
    });

    it('can be deferred to the end of a transaction that lowers the places and then releases a booking', async () => {
      const unit = await newUnit(shard, 2);
      await insert(serviceRole, unit, 1, day(1), day(5));
      const { rows } = await serviceRole.query(
        `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at, updated_at)
        values ($1, $2, 1, $3, $4, 'CONFIRMED', now(), now()) returning id`,
        [randomUUID(), unit.id, day(2), day(3)],
      );
      const release = () => serviceRole.query(`update booking set status = 'RELEASED' where id = $1`, [rows[0].id]);

      await serviceRole.query('begin');
      await expect(setPlaces(serviceRole, unit, 1)).rejects.toMatchObject({ code: '23514' });
      await serviceRole.query('rollback');

      await serviceRole.query('begin');
      await serviceRole.query('set constraints housing_unit_places_cover_bookings deferred');
      await setPlaces(serviceRole, unit, 1);
      await release();
      await serviceRole.query('commit');
      expect(await placesOf(unit)).toBe(1);

      // Deferred, it counts against the places that commit, not those of the update that queued it.
      const later = await newUnit(shard, 3);
      await insert(serviceRole, later, 2, day(1), day(5));
      await serviceRole.query('begin');
      await serviceRole.query('set constraints housing_unit_places_cover_bookings deferred');
      await setPlaces(serviceRole, later, 2);
      await setPlaces(serviceRole, later, 3);
      await insert(serviceRole, later, 1, day(2), day(3));
      await serviceRole.query('commit');
      expect(await placesOf(later)).toBe(3);
      expect(await overBookedDays([unit, later])).toEqual([]);
    });
  });

  describe('concurrently with booking writes', () => {
    it('waits for a booking inserted first, then counts it and refuses', async () => {
      const unit = await newUnit(shard, 2);
      await insert(serviceRole, unit, 1, day(1), day(10));
      await serviceRole.query('begin');
      await insert(serviceRole, unit, 1, day(3), day(4));
      await other.query('begin');
      const lowering = outcome(setPlaces(other, unit, 1));
      await waitUntilBlocked(serviceRole);
      await serviceRole.query('commit');
      expect(await lowering).toBe('23514');
      await other.query('rollback');
      expect(await placesOf(unit)).toBe(2);
      expect(await overBookedDays([unit])).toEqual([]);
    });

    it('makes a booking inserted after a lowering wait, then count the new places and be refused', async () => {
      const unit = await newUnit(shard, 2);
      await insert(serviceRole, unit, 1, day(1), day(10));
      await serviceRole.query('begin');
      await setPlaces(serviceRole, unit, 1);
      await other.query('begin');
      const inserting = outcome(insert(other, unit, 1, day(3), day(4)));
      await waitUntilBlocked(serviceRole);
      await serviceRole.query('commit');
      expect(await inserting).toBe('23514');
      await other.query('rollback');
      expect(await placesOf(unit)).toBe(1);
      expect(await overBookedDays([unit])).toEqual([]);
    });

    it('never over-books a day and never deadlocks under simultaneous raw inserts and lowerings', async () => {
      const random = new SeededRandom('places-vs-bookings');
      const clients = Array.from({ length: 16 }, () => new Client({ connectionString: shard.database.url }));
      await Promise.all(clients.map((client) => client.connect()));
      const units: HousingUnit[] = [];
      const outcomes: string[] = [];
      try {
        for (let round = 0; round < 5; round++) {
          const unit = await newUnit(shard, 4);
          units.push(unit);
          await insert(serviceRole, unit, 1, day(0), day(20));
          type Plan = { places: number; startsOn: string; endsOn: string } | { lowerTo: number };
          const plans = clients.map((_, i): Plan => {
            const start = random.int(0, 15);
            return i % 2 === 0 ? { places: random.int(1, 2), startsOn: day(start), endsOn: day(start + random.int(1, 6)) } : { lowerTo: random.int(1, 3) };
          });
          outcomes.push(
            ...(await Promise.all(
              clients.map(async (client, i) => {
                const plan = plans[i]!;
                await client.query('begin');
                try {
                  if ('lowerTo' in plan) await setPlaces(client, unit, plan.lowerTo);
                  else await insert(client, unit, plan.places, plan.startsOn, plan.endsOn);
                  await client.query('select pg_sleep(0.005)');
                  await client.query('commit');
                  return 'done';
                } catch (error) {
                  await client.query('rollback');
                  return (error as { code?: string }).code ?? String(error);
                }
              }),
            )),
          );
        }
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
      expect(new Set(outcomes.filter((o) => o !== 'done'))).toEqual(new Set(['23514']));
      expect(outcomes.filter((o) => o === 'done').length).toBeGreaterThan(5);
      expect(await overBookedDays(units)).toEqual([]);
    });
  });

  describe('through the API', () => {
    it('still answers VALIDATION_FAILED naming `places` (not the trigger), and lowers to the peak', async () => {
      const unit = await busyUnit();
      const manager = await bearer(Role.HOUSING_MANAGER, '0138');
      const gql = caller(shard);

      const refused = await gql(UPDATE, { id: unit.id, input: { places: 2 } }, manager);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'places', message: expect.stringContaining('cannot be less than 3') }],
      });
      expect(await placesOf(unit)).toBe(5);

      const accepted = await gql(UPDATE, { id: unit.id, input: { places: 3 } }, manager);
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data!.updateHousingUnit).toEqual({ id: unit.id, places: 3 });
    });
  });
});
