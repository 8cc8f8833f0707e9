import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { startTestShard, type TestShard } from '../test-support';
import { HousingUnit } from './housing-unit.entity';

/**
 * A unit's capacity is for every staff role, its address and bookings are not:
 * selecting a refused field on a list of units costs that field (null, one
 * FORBIDDEN error per unit, naming it), never the units or the list.
 */
describe('Refused fields on a list of housing units', () => {
  let shard: TestShard;
  let unitIds: string[];
  const LIST = `{ myMunicipality(municipalityCode: "0126") { housingUnits { id places streetAddress bookings(from: "2026-12-01", to: "2027-01-01") { id } } } }`;

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    unitIds = (await shard.orm.em.fork().find(HousingUnit, {}, { orderBy: { id: 'asc' } })).map((u) => u.id);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const refusals = (result: Awaited<ReturnType<typeof postGraphQL>>, field: string) =>
    (result.errors ?? []).filter((e) => e.path?.at(-1) === field && e.extensions?.code === 'FORBIDDEN');

  it.each([
    ['a caseworker of the municipality: no address, no bookings', () => bearer(Role.CASEWORKER, '0126'), ['streetAddress', 'bookings']],
    ['a coordinator: bookings, but no address', () => bearer(Role.COORDINATOR), ['streetAddress']],
  ])('lists every unit to %s, each refused field null with its own error', async (_who, as, refused) => {
    const result = await postGraphQL(shard.url, LIST, {}, await as());
    const units = result.data!.myMunicipality.housingUnits as { id: string; places: number; streetAddress: string | null; bookings: unknown[] | null }[];
    expect(units.map((u) => u.id).sort()).toEqual(unitIds);
    expect(units.every((u) => u.places > 0)).toBe(true);
    for (const field of ['streetAddress', 'bookings'] as const) {
      const isRefused = refused.includes(field);
      expect(units.every((u) => (u[field] === null) === isRefused)).toBe(true);
      expect(refusals(result, field)).toHaveLength(isRefused ? units.length : 0);
    }
    expect(result.errors ?? []).toHaveLength(refused.length * units.length);
    expect(refusals(result, 'streetAddress')[0]!.message).toBe(
      'HousingUnit.streetAddress is only for: housing_manager of the owning municipality, caseworker of a municipality with a confirmed booking in the unit.',
    );
  });
});
