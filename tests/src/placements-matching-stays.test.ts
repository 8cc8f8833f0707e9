import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { freshUnit, OFFER, openRequest } from './support/placement-fixtures';
import { queryRows as sql } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const PROPOSE = `{ proposePlacements {
  optimal horizonFrom horizonTo municipalitiesCovered
  proposals { request { municipalityCode id } unit { municipalityCode id } constraintsMet }
  unmatched { request { municipalityCode id } reason explanation } } }`;

/** `days` after today in Sweden, worked out here (not by the code under test). */
function inDays(days: number): string {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Issue #10, finding 6: proposals counted free places over one window covering
 * every open request, so a far-future request narrowed everyone's units and an
 * urgent request was left unmatched although a unit was free for its own stay.
 * Here the only unit (one place) is free for the next 90 days, held for days
 * 90–180, and free again after: a 60-day urgent stay now and a 30-day stay in two
 * years both fit it, one after the other; a stay that overlaps the urgent one does not.
 */
describe("Matching counts each unit's free places over each request's own stay", () => {
  let region: TestRegion;
  let unitId: string;
  let urgent: Awaited<ReturnType<typeof openRequest>>;
  let farFuture: Awaited<ReturnType<typeof openRequest>>;
  let overlapping: Awaited<ReturnType<typeof openRequest>>;
  let result: { optimal: boolean; proposals: any[]; unmatched: any[] };
  const coordinator = () => bearer(Role.COORDINATOR);

  beforeAll(async () => {
    region = await startTestRegion({ seed: false });
    unitId = await freshUnit(region.gateway.url, '0138', 1);
    // Days 90–180 of the unit are held for another placement.
    const held = await openRequest(region.gateway.url, '0127', { urgency: 'NORMAL', earliestStart: inDays(90), days: 90 });
    const offer = await postGraphQL(
      region.gateway.url,
      OFFER,
      { input: { requestMunicipality: '0127', requestId: held.requestId, unitMunicipality: '0138', unitId }, key: randomUUID() },
      await coordinator(),
    );
    expect(offer.errors).toBeUndefined();

    urgent = await openRequest(region.gateway.url, '0126', { urgency: 'IMMEDIATE', earliestStart: inDays(0), days: 60 });
    farFuture = await openRequest(region.gateway.url, '0128', { urgency: 'NORMAL', earliestStart: inDays(730), days: 30 });
    overlapping = await openRequest(region.gateway.url, '0140', { urgency: 'HIGH', earliestStart: inDays(30), days: 30 });
    const answer = await postGraphQL(region.gateway.url, PROPOSE, {}, await coordinator());
    expect(answer.errors).toBeUndefined();
    result = answer.data!.proposePlacements;
  });
  afterAll(async () => {
    await region.destroy();
  });

  const proposalFor = (request: { requestId: string }) => result.proposals.find((p) => p.request.id === request.requestId);
  const unmatchedOf = (request: { requestId: string }) => result.unmatched.find((u) => u.request.id === request.requestId);

  it('proposes the unit to the 60-day urgent request beside a request two years ahead, and to that one too', () => {
    expect(result.optimal).toBe(true);
    expect(proposalFor(urgent)?.unit).toEqual({ municipalityCode: '0138', id: unitId });
    expect(proposalFor(farFuture)?.unit).toEqual({ municipalityCode: '0138', id: unitId });
  });

  it('never gives one place to two stays that share a day: the overlapping request waits, and says why', () => {
    expect(proposalFor(overlapping)).toBeUndefined();
    expect(unmatchedOf(overlapping)).toMatchObject({ reason: 'CAPACITY_TAKEN', explanation: expect.stringContaining(unitId) });
  });

  it('ranks the unit first for the urgent request alone (bestUnitsFor), as the batch does', async () => {
    const ranked = await postGraphQL(
      region.gateway.url,
      `query($m: ID!, $id: ID!) { bestUnitsFor(requestMunicipality: $m, requestId: $id, limit: 5) { unit { municipalityCode id } constraintsMet } }`,
      { m: '0126', id: urgent.requestId },
      await coordinator(),
    );
    expect(ranked.errors).toBeUndefined();
    expect(ranked.data!.bestUnitsFor.map((u: { unit: unknown }) => u.unit)).toEqual([{ municipalityCode: '0138', id: unitId }]);
  });

  it('holds both proposals as they stand: the receiving shard accepts both offers', async () => {
    for (const [municipality, request] of [
      ['0126', urgent],
      ['0128', farFuture],
    ] as const) {
      const offered = await postGraphQL(
        region.gateway.url,
        OFFER,
        { input: { requestMunicipality: municipality, requestId: request.requestId, unitMunicipality: '0138', unitId }, key: randomUUID() },
        await coordinator(),
      );
      expect(offered.errors).toBeUndefined();
      expect(offered.data!.offerPlacement.status).toBe('OFFERED');
    }
  });

  it('counts a request kept from before the date rules (a stay in 1900) over a few years at most, with every municipality still covered', async () => {
    const old = await openRequest(region.gateway.url, '0181', { urgency: 'NORMAL', earliestStart: inDays(5), days: 30 });
    await sql(region.shards.get('0181')!.database.url, `update placement_request set earliest_start = '1900-01-01' where id = $1`, [old.requestId]);
    const answer = await postGraphQL(region.gateway.url, PROPOSE, {}, await coordinator());
    expect(answer.errors).toBeUndefined();
    const batch = answer.data!.proposePlacements;
    expect(batch.municipalitiesCovered).toHaveLength(8);
    expect(batch.horizonFrom).toBe(inDays(-731));
    expect(batch.unmatched.find((u: { request: { id: string } }) => u.request.id === old.requestId)).toMatchObject({ reason: 'NO_FEASIBLE_UNIT' });
  });
});
