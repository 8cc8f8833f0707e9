import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { Booking } from '../bookings/booking.entity';
import { openMunicipalityDatabase } from '../database/orm';
import { HousingUnit } from '../housing/housing-unit.entity';
import { Participant } from '../participants/participant.entity';
import { birthDateOf, normalizePersonalIdentityNumber } from '../participants/personal-identity-number';
import { seedDemoMunicipality, type DemoSeedResult } from './seed';

const TODAY = '2026-11-27';

interface Seeded {
  orm: MikroORM;
  result: DemoSeedResult;
  participants: Participant[];
}

describe('Demo seed', () => {
  const opened: { database: TestDatabase; orm: MikroORM }[] = [];

  async function seedFresh(municipalityCode: string): Promise<Seeded> {
    const database = await createTestDatabase(`seed${municipalityCode}`);
    const orm = await openMunicipalityDatabase(database.url);
    opened.push({ database, orm });
    const result = await seedDemoMunicipality(orm.em.fork(), { municipalityCode, today: TODAY });
    const participants = await orm.em.fork().find(Participant, {}, { orderBy: { personalIdentityNumber: 'asc' } });
    return { orm, result, participants };
  }
  const identities = (s: Seeded) => s.participants.map((p) => ({ pnr: p.personalIdentityNumber, firstName: p.firstName, lastName: p.lastName }));

  let first: Seeded;
  let second: Seeded;

  beforeAll(async () => {
    [first, second] = await Promise.all([seedFresh('0136'), seedFresh('0136')]);
  });
  afterAll(async () => {
    for (const { database, orm } of opened) {
      await orm.close();
      await database.drop();
    }
  });

  describe('determinism', () => {
    it('gives the same people, units and bookings when the same code is seeded into two fresh databases', async () => {
      expect(first.result.seeded).toBe(true);
      expect(identities(second)).toEqual(identities(first));
      expect(second.result).toEqual(first.result);
      // Ids are random; everything else must match.
      const units = async (s: Seeded) =>
        (await s.orm.em.fork().find(HousingUnit, {})).map((u) => JSON.stringify([u.kind, u.places, u.district, u.streetAddress, u.status])).sort();
      const bookings = async (s: Seeded) =>
        (await s.orm.em.fork().find(Booking, {}, { populate: ['unit'] }))
          .map((b) => JSON.stringify([b.unit.streetAddress, b.places, b.startsOn, b.endsOn, b.status]))
          .sort();
      expect(await units(second)).toEqual(await units(first));
      expect(await bookings(second)).toEqual(await bookings(first));
    });

    it('gives another municipality other people', async () => {
      const other = await seedFresh('0127');
      const ours = new Set(identities(first).map((i) => i.pnr));
      expect(identities(other).filter((i) => ours.has(i.pnr)).length).toBeLessThan(other.participants.length);
      expect(identities(other)).not.toEqual(identities(first));
    });
  });

  describe('size', () => {
    it('creates 20–60 participants and 5–15 housing units, as many as it reports', async () => {
      const em = first.orm.em.fork();
      expect(first.result.participants).toBeGreaterThanOrEqual(20);
      expect(first.result.participants).toBeLessThanOrEqual(60);
      expect(first.result.housingUnits).toBeGreaterThanOrEqual(5);
      expect(first.result.housingUnits).toBeLessThanOrEqual(15);
      expect(await em.count(Participant)).toBe(first.result.participants);
      expect(await em.count(HousingUnit)).toBe(first.result.housingUnits);
      expect(await em.count(Booking)).toBe(first.result.bookings);
      expect(first.result.bookings).toBeGreaterThan(0);
    });
  });

  describe('personal identity numbers', () => {
    it('are valid, twelve digits, and match the birth date', () => {
      for (const p of first.participants) {
        expect({ pnr: p.personalIdentityNumber, normalized: normalizePersonalIdentityNumber(p.personalIdentityNumber) }).toEqual({
          pnr: p.personalIdentityNumber,
          normalized: p.personalIdentityNumber,
        });
        expect(birthDateOf(p.personalIdentityNumber)).toBe(p.birthDate);
      }
    });

    it('all use a birth number from 980–999, the synthetic range', () => {
      const birthNumbers = first.participants.map((p) => Number(p.personalIdentityNumber.slice(8, 11)));
      expect(birthNumbers.filter((n) => n < 980 || n > 999)).toEqual([]);
    });
  });

  describe('bookings', () => {
    it('never book a unit beyond its places on any day', async () => {
      const connection = first.orm.em.getConnection();
      const overBooked = await connection.execute(
        `select u.id, day::date as day, sum(b.places) as occupied, u.places
           from housing_unit u
           join booking b on b.unit_id = u.id and b.status in ('HELD', 'CONFIRMED')
           join lateral generate_series(b.starts_on, b.ends_on - 1, interval '1 day') as day on true
          group by u.id, u.places, day
         having sum(b.places) > u.places`,
      );
      expect(overBooked).toEqual([]);
      // Not vacuous: some unit is full on some day.
      const [full] = await connection.execute<{ days: string }[]>(
        `select count(*) as days from (
           select 1 from housing_unit u
             join booking b on b.unit_id = u.id and b.status in ('HELD', 'CONFIRMED')
             join lateral generate_series(b.starts_on, b.ends_on - 1, interval '1 day') as day on true
            group by u.id, u.places, day having sum(b.places) = u.places) full_days`,
      );
      expect(Number(full!.days)).toBeGreaterThan(0);
    });

    it('cover the months around today', async () => {
      const em = first.orm.em.fork();
      expect(await em.count(Booking, { startsOn: { $lte: TODAY }, endsOn: { $gt: TODAY } })).toBeGreaterThan(0);
      expect(await em.count(Booking, { startsOn: { $gt: TODAY } })).toBeGreaterThan(0);
    });
  });

  describe('seeding again', () => {
    it('does nothing when the database already holds participants', async () => {
      const em = first.orm.em.fork();
      const before = { participants: await em.count(Participant), units: await em.count(HousingUnit), bookings: await em.count(Booking) };
      const again = await seedDemoMunicipality(first.orm.em.fork(), { municipalityCode: '0136', today: TODAY });
      expect(again).toEqual({ participants: 0, housingUnits: 0, bookings: 0, seeded: false });
      const after = { participants: await em.count(Participant), units: await em.count(HousingUnit), bookings: await em.count(Booking) };
      expect(after).toEqual(before);
    });
  });
});
