import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { startTestShard, type TestShard } from '../test-support';

/**
 * The region's capacity overview is read with plain rows (ShardContext.reads): such a request needs no
 * unit of work, and forking one cost more than the rest of a small request's context. Apollo Server
 * copies each request's context (Object.assign), which once called the context's lazy getters and so
 * forked on every request anyway.
 */
describe('Municipal subgraph: a capacity read forks no entity manager', () => {
  let shard: TestShard;
  let forks: jest.SpyInstance;

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    forks = jest.spyOn(shard.orm.em, 'fork');
  });
  afterAll(async () => {
    forks.mockRestore();
    await shard.destroy();
  });
  beforeEach(() => forks.mockClear());

  it('answers the units and their free places without forking', async () => {
    const from = addDays(todayInStockholm(), 1);
    const result = await postGraphQL(
      shard.url,
      `{ myMunicipality(municipalityCode: "0126") { housingUnits { id kind places freePlaces(from: "${from}", to: "${addDays(from, 14)}") } } }`,
      {},
      await bearer(Role.COORDINATOR),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.myMunicipality.housingUnits.length).toBeGreaterThan(0);
    expect(forks).not.toHaveBeenCalled();
  });

  it('still forks, once, for a request that works with entities (the spy sees forks)', async () => {
    const result = await postGraphQL(
      shard.url,
      `mutation { registerHousingUnit(municipalityCode: "0126", input: { kind: TRAINING_FLAT, places: 2, district: "Skogås", streetAddress: "Forkgatan 1" }) { id } }`,
      {},
      await bearer(Role.HOUSING_MANAGER, '0126'),
    );
    expect(result.errors).toBeUndefined();
    expect(forks).toHaveBeenCalledTimes(1);
  });
});
