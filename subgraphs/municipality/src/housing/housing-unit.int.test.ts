import { todayInStockholm } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Booking } from '../bookings/booking.entity';
import { BookingStatus } from '../bookings/booking.enums';
import { addDays } from '@sodertorn/service-kit';
import { startTestShard, type TestShard } from '../test-support';
import { HousingUnitKind, HousingUnitStatus } from './housing-unit.enums';
import { HousingUnit } from './housing-unit.entity';

const FIELDS = 'id municipalityCode kind places district streetAddress wheelchairAccessible suitableForChildren status';
const REGISTER = `mutation($code: ID!, $input: RegisterHousingUnitInput!) { registerHousingUnit(municipalityCode: $code, input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($code: ID!, $id: ID!, $input: UpdateHousingUnitInput!) { updateHousingUnit(municipalityCode: $code, id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: HousingUnitFilter) { myMunicipality(municipalityCode: "0126") { housingUnits(filter: $filter) { id } } }`;

const flat = { kind: 'TRAINING_FLAT', places: 4, district: 'Skogås', streetAddress: 'Demogatan 3' };

type Problem = { field: string; message: string };
const fieldsOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  ((result.errors?.[0]?.extensions?.fields as Problem[] | undefined) ?? []).map((p) => p.field).sort();

describe('Municipal subgraph: housing units', () => {
  let shard: TestShard;
  const today = todayInStockholm();
  /** Units, their addresses and their changes belong to the own municipality's housing managers. */
  let housingManager: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126');
    housingManager = await bearer(Role.HOUSING_MANAGER, '0126');
  });
  afterAll(async () => {
    await shard.destroy();
  });

  async function register(input: Record<string, unknown> = {}): Promise<string> {
    const result = await postGraphQL(shard.url, REGISTER, { code: '0126', input: { ...flat, ...input } }, housingManager);
    expect(result.errors).toBeUndefined();
    return result.data!.registerHousingUnit.id;
  }
  const update = (id: string, input: Record<string, unknown>) => postGraphQL(shard.url, UPDATE, { code: '0126', id, input }, housingManager);
  const stored = (id: string) => shard.orm.em.fork().findOneOrFail(HousingUnit, { id });
  async function book(unitId: string, places: number, startsOn: string, endsOn: string, status = BookingStatus.CONFIRMED): Promise<Booking> {
    const em = shard.orm.em.fork();
    const booking = new Booking(em.getReference(HousingUnit, unitId), places, startsOn, endsOn, status);
    await em.persistAndFlush(booking);
    return booking;
  }

  describe('registering', () => {
    it('stores the unit as AVAILABLE with the flags defaulting to false', async () => {
      const result = await postGraphQL(shard.url, REGISTER, { code: '0126', input: flat }, housingManager);
      expect(result.errors).toBeUndefined();
      const unit = result.data!.registerHousingUnit;
      expect(unit).toMatchObject({ ...flat, municipalityCode: '0126', status: 'AVAILABLE', wheelchairAccessible: false, suitableForChildren: false });
      expect(await stored(unit.id)).toMatchObject({ places: 4, district: 'Skogås', status: HousingUnitStatus.AVAILABLE });
    });

    it('refuses places 0 and an empty district, naming both fields, and saves nothing', async () => {
      const before = await shard.orm.em.fork().count(HousingUnit);
      const result = await postGraphQL(shard.url, REGISTER, { code: '0126', input: { ...flat, places: 0, district: '' } }, housingManager);
      expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(result)).toEqual(['district', 'places']);
      expect(await shard.orm.em.fork().count(HousingUnit)).toBe(before);
    });

    it('refuses when the municipality code names another municipality', async () => {
      const result = await postGraphQL(shard.url, REGISTER, { code: '0127', input: flat }, housingManager);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'WRONG_MUNICIPALITY', municipalityCode: '0127' });
    });
  });

  describe('updating', () => {
    it('changes the fields given and keeps the others', async () => {
      const id = await register();
      const result = await update(id, { district: 'Trångsund', wheelchairAccessible: true });
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateHousingUnit).toMatchObject({ id, district: 'Trångsund', wheelchairAccessible: true, places: 4, kind: 'TRAINING_FLAT' });
      expect(await stored(id)).toMatchObject({ district: 'Trångsund', wheelchairAccessible: true, places: 4, streetAddress: 'Demogatan 3' });
    });

    it('refuses places below the peak booked from today on, naming `places`, and changes nothing', async () => {
      const id = await register({ places: 5 });
      await book(id, 5, addDays(today, -10), today); // moved out today: no longer counts
      await book(id, 5, addDays(today, 1), addDays(today, 9), BookingStatus.RELEASED);
      await book(id, 2, today, addDays(today, 10));
      await book(id, 1, addDays(today, 5), addDays(today, 15), BookingStatus.HELD); // 3 places on days 5–9

      const refused = await update(id, { places: 2, district: 'Vårby' });
      expect(refused.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(refused)).toEqual(['places']);
      expect(refused.errors?.[0]?.message).toContain('cannot be less than 3');
      expect(await stored(id)).toMatchObject({ places: 5, district: 'Skogås' });

      const accepted = await update(id, { places: 3 });
      expect(accepted.errors).toBeUndefined();
      expect(await stored(id)).toMatchObject({ places: 3 });
    });

    it('refuses RETIRED while bookings remain from today on, naming `status`, and allows it once they are released', async () => {
      const id = await register();
      const booking = await book(id, 1, addDays(today, 30), addDays(today, 40), BookingStatus.HELD);

      const refused = await update(id, { status: 'RETIRED' });
      expect(refused.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(refused)).toEqual(['status']);
      expect((await stored(id)).status).toBe(HousingUnitStatus.AVAILABLE);

      await shard.orm.em.fork().nativeUpdate(Booking, { id: booking.id }, { status: BookingStatus.RELEASED });
      const accepted = await update(id, { status: 'RETIRED' });
      expect(accepted.errors).toBeUndefined();
      expect((await stored(id)).status).toBe(HousingUnitStatus.RETIRED);
    });

    it('refuses null for a field, naming it, instead of clearing it', async () => {
      const id = await register();
      const result = await update(id, { district: null, places: null, status: null });
      expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(result)).toEqual(['district', 'places', 'status']);
      expect(await stored(id)).toMatchObject({ district: 'Skogås', places: 4, status: HousingUnitStatus.AVAILABLE });
    });

    it.each([
      ['an unknown id', '2f1e0c2a-5b7d-4c1e-9a55-0d3b8e7f6a21'],
      ['a malformed id', 'not-a-uuid'],
    ])('answers NOT_FOUND for %s', async (_what, id) => {
      const result = await update(id, { district: 'Vårby' });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('listing', () => {
    let all: HousingUnit[];

    beforeAll(async () => {
      const em = shard.orm.em.fork();
      const make = (kind: HousingUnitKind, places: number, wheelchairAccessible: boolean, status = HousingUnitStatus.AVAILABLE) => {
        const unit = new HousingUnit({ kind, places, district: 'Stuvsta', streetAddress: 'Provgränd 7', wheelchairAccessible, suitableForChildren: false });
        unit.status = status;
        return unit;
      };
      em.persist([
        make(HousingUnitKind.PROTECTED, 1, false),
        make(HousingUnitKind.PROTECTED, 3, true),
        make(HousingUnitKind.EMERGENCY, 6, true, HousingUnitStatus.OUT_OF_SERVICE),
        make(HousingUnitKind.SUPPORTED, 8, false, HousingUnitStatus.RETIRED),
        make(HousingUnitKind.SUPPORTED, 2, true, HousingUnitStatus.RETIRED),
      ]);
      await em.flush();
      all = await shard.orm.em.fork().find(HousingUnit, {});
    });

    async function listed(filter?: Record<string, unknown>): Promise<string[]> {
      const result = await postGraphQL(shard.url, LIST, { filter }, housingManager);
      expect(result.errors).toBeUndefined();
      return (result.data!.myMunicipality.housingUnits as { id: string }[]).map((u) => u.id).sort();
    }
    const idsWhere = (predicate: (unit: HousingUnit) => boolean) =>
      all
        .filter(predicate)
        .map((u) => u.id)
        .sort();
    const notRetired = (u: HousingUnit) => u.status !== HousingUnitStatus.RETIRED;

    it('hides RETIRED units unless the filter asks for them', async () => {
      expect(all.some((u) => u.status === HousingUnitStatus.RETIRED)).toBe(true);
      expect(await listed()).toEqual(idsWhere(notRetired));
      expect(await listed({ statuses: ['RETIRED'] })).toEqual(idsWhere((u) => u.status === HousingUnitStatus.RETIRED));
      expect(await listed({ statuses: ['AVAILABLE', 'OUT_OF_SERVICE', 'RETIRED'] })).toEqual(idsWhere(() => true));
    });

    it.each<[string, Record<string, unknown>, (u: HousingUnit) => boolean]>([
      ['kinds', { kinds: ['PROTECTED', 'EMERGENCY'] }, (u) => u.kind === HousingUnitKind.PROTECTED || u.kind === HousingUnitKind.EMERGENCY],
      ['wheelchairAccessible', { wheelchairAccessible: true }, (u) => u.wheelchairAccessible],
      ['minPlaces', { minPlaces: 3 }, (u) => u.places >= 3],
      [
        'all of them together',
        { kinds: ['PROTECTED'], wheelchairAccessible: true, minPlaces: 2 },
        (u) => u.kind === HousingUnitKind.PROTECTED && u.wheelchairAccessible && u.places >= 2,
      ],
    ])('narrows the list by %s', async (_name, filter, predicate) => {
      const expected = idsWhere((u) => notRetired(u) && predicate(u));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(idsWhere(notRetired).length);
      expect(await listed(filter)).toEqual(expected);
    });

    it('refuses a minPlaces below 1, naming the field', async () => {
      const result = await postGraphQL(shard.url, LIST, { filter: { minPlaces: 0 } }, housingManager);
      expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(result)).toEqual(['minPlaces']);
    });
  });
});
