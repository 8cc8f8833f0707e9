import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { startTestRegion, type TestRegion } from './support/test-region';

const PROPOSE = `{ proposePlacements {
  objective optimal upperBound horizonFrom horizonTo municipalitiesCovered unreachable
  proposals { score scoreParts { urgency waiting fit distance } constraintsMet
    request { municipalityCode id householdSize children needsWheelchairAccess allowedKinds excludedMunicipalities earliestStart expectedDurationDays }
    unit { municipalityCode id kind wheelchairAccessible suitableForChildren } }
  unmatched { request { municipalityCode id } reason explanation } } }`;

describe("Matching: the region's open requests against its free places, through the gateway", () => {
  let region: TestRegion;
  let result: any;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
    const answer = await postGraphQL(region.gateway.url, PROPOSE, {}, await bearer(Role.COORDINATOR));
    expect(answer.errors).toBeUndefined();
    result = answer.data!.proposePlacements;
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('covers all eight municipalities and proves its answer optimal', () => {
    expect(result.municipalitiesCovered).toHaveLength(8);
    expect(result.unreachable).toEqual([]);
    expect(result.proposals.length).toBeGreaterThan(0);
    expect(result.optimal).toBe(true);
    expect(result.objective).toBeCloseTo(result.upperBound, 6);
  });

  it('never proposes a unit that breaks a hard constraint, the home municipality above all', () => {
    for (const { request, unit } of result.proposals) {
      expect(unit.municipalityCode).not.toBe(request.municipalityCode);
      expect(request.excludedMunicipalities).not.toContain(unit.municipalityCode);
      expect(request.allowedKinds).toContain(unit.kind);
      if (request.children > 0) expect(unit.suitableForChildren).toBe(true);
      if (request.needsWheelchairAccess) expect(unit.wheelchairAccessible).toBe(true);
    }
  });

  it('never assigns a unit more places than it has free on any day of the stays it hosts', async () => {
    // For each proposal: the households proposed to the same unit whose stays share a day with its stay,
    // together, fit the places free on every day of its stay. Then no day of the unit is over-booked
    // (any day's guests all share that day with each other's stays).
    const stayOf = (request: { earliestStart: string; expectedDurationDays: number }) => {
      const end = new Date(`${request.earliestStart}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + request.expectedDurationDays);
      return { from: request.earliestStart, to: end.toISOString().slice(0, 10) };
    };
    const coordinator = await bearer(Role.COORDINATOR);
    for (const { request, unit } of result.proposals) {
      const stay = stayOf(request);
      const sharing = result.proposals.filter((p: any) => p.unit.id === unit.id && stayOf(p.request).from < stay.to && stay.from < stayOf(p.request).to);
      const answer = await postGraphQL(
        region.gateway.url,
        `query($code: ID!, $from: LocalDate!, $to: LocalDate!) { myMunicipality(municipalityCode: $code) { housingUnits { id freePlaces(from: $from, to: $to) } } }`,
        { code: unit.municipalityCode, ...stay },
        coordinator,
      );
      const free = answer.data!.myMunicipality.housingUnits.find((u: { id: string }) => u.id === unit.id).freePlaces;
      expect({ unit: unit.id, stay, places: sharing.reduce((sum: number, p: any) => sum + p.request.householdSize, 0) <= free }).toEqual({
        unit: unit.id,
        stay,
        places: true,
      });
    }
  });

  it('explains each proposal: the constraints it met and score parts that add up', () => {
    for (const proposal of result.proposals) {
      expect(proposal.constraintsMet.length).toBeGreaterThanOrEqual(3);
      const { urgency, waiting, fit, distance } = proposal.scoreParts;
      expect(urgency + waiting + fit + distance).toBeCloseTo(proposal.score, 6);
    }
  });

  it('ranks the best units for one request, and a proposal can be offered as it stands', async () => {
    const [first] = result.proposals;
    const coordinator = await bearer(Role.COORDINATOR);
    const ranked = await postGraphQL(
      region.gateway.url,
      `query($m: ID!, $id: ID!) { bestUnitsFor(requestMunicipality: $m, requestId: $id, limit: 5) { score unit { municipalityCode id } constraintsMet } }`,
      { m: first.request.municipalityCode, id: first.request.id },
      coordinator,
    );
    expect(ranked.errors).toBeUndefined();
    const scores = ranked.data!.bestUnitsFor.map((u: { score: number }) => u.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const offered = await postGraphQL(
      region.gateway.url,
      `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { status } }`,
      {
        input: {
          requestMunicipality: first.request.municipalityCode,
          requestId: first.request.id,
          unitMunicipality: first.unit.municipalityCode,
          unitId: first.unit.id,
        },
        key: randomUUID(),
      },
      coordinator,
    );
    expect(offered.data?.offerPlacement.status).toBe('OFFERED');
  });

  it('is for coordinators only', async () => {
    for (const [role, m] of [
      [Role.CASEWORKER, '0126'],
      [Role.HOUSING_MANAGER, '0126'],
      [Role.ANALYST, undefined],
    ] as const) {
      const answer = await postGraphQL(region.gateway.url, `{ proposePlacements { objective } }`, {}, await bearer(role, m));
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
