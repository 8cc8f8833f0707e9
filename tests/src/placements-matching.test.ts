import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { startTestRegion, type TestRegion } from './support/test-region';

const PROPOSE = `{ proposePlacements {
  objective optimal upperBound horizonFrom horizonTo municipalitiesCovered unreachable
  proposals { score scoreParts { urgency waiting fit distance } constraintsMet
    request { municipalityCode id householdSize children needsWheelchairAccess allowedKinds excludedMunicipalities }
    unit { municipalityCode id kind wheelchairAccessible suitableForChildren } }
  unmatched { request { municipalityCode id } reason explanation } } }`;

describe('Matching: the region\'s open requests against its free places, through the gateway', () => {
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

  it('never assigns a unit more places than it has free over the horizon', async () => {
    const used = new Map<string, { municipalityCode: string; id: string; places: number }>();
    for (const { request, unit } of result.proposals) {
      const key = `${unit.municipalityCode}:${unit.id}`;
      used.set(key, { ...unit, places: (used.get(key)?.places ?? 0) + request.householdSize });
    }
    const coordinator = await bearer(Role.COORDINATOR);
    for (const unit of used.values()) {
      const answer = await postGraphQL(
        region.gateway.url,
        `query($code: ID!, $from: LocalDate!, $to: LocalDate!) { myMunicipality(municipalityCode: $code) { housingUnits { id freePlaces(from: $from, to: $to) } } }`,
        { code: unit.municipalityCode, from: result.horizonFrom, to: result.horizonTo },
        coordinator,
      );
      const free = answer.data!.myMunicipality.housingUnits.find((u: { id: string }) => u.id === unit.id).freePlaces;
      expect(unit.places).toBeLessThanOrEqual(free);
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
      { input: { requestMunicipality: first.request.municipalityCode, requestId: first.request.id, unitMunicipality: first.unit.municipalityCode, unitId: first.unit.id }, key: randomUUID() },
      coordinator,
    );
    expect(offered.data?.offerPlacement.status).toBe('OFFERED');
  });

  it('is for coordinators only', async () => {
    for (const [role, m] of [[Role.CASEWORKER, '0126'], [Role.HOUSING_MANAGER, '0126'], [Role.ANALYST, undefined]] as const) {
      const answer = await postGraphQL(region.gateway.url, `{ proposePlacements { objective } }`, {}, await bearer(role, m));
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
