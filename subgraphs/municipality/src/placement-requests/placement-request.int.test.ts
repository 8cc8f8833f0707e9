import { todayInStockholm } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { startTestShard, type TestShard } from '../test-support';
import { ageBand } from '@sodertorn/statistics';
import { caseReference } from './case-reference';

/** The key startTestShard gives the 0126 deployment (see test-support.ts). */
const SHARD_KEY = 'test-case-reference-key-of-0126-0123456789';

const ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      __typename
      ... on PlacementRequest {
        id
        municipalityCode
        caseReference
        status
        urgency
        earliestStart
        expectedDurationDays
        createdAt
        ageBand
        householdSize
        children
        excludedMunicipalities
      }
    }
  }
`;

interface SeededRequest {
  id: string;
  participant_id: string;
  first_name: string;
  last_name: string;
  personal_identity_number: string;
  birth_date: string;
  household_adults: number;
  household_children: number;
  excluded_municipalities: string[];
}

describe('Placement requests seen from outside the municipality', () => {
  let shard: TestShard;
  let seeded: SeededRequest[];
  let coordinator: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    seeded = await shard.orm.em.getConnection().execute<SeededRequest[]>(
      `select r.id, r.participant_id, p.first_name, p.last_name, p.personal_identity_number, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date,
              p.household_adults, p.household_children, p.excluded_municipalities
         from placement_request r join participant p on p.id = r.participant_id
        order by r.id`,
    );
    coordinator = await bearer(Role.COORDINATOR);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const representation = (id: string) => ({ __typename: 'PlacementRequest', municipalityCode: '0126', id });
  const read = (ids: string[], headers = coordinator) => postGraphQL(shard.url, ENTITIES, { r: ids.map(representation) }, headers);

  it('has seeded requests to read', () => {
    expect(seeded.length).toBeGreaterThan(1);
  });

  describe('as a coordinator through _entities', () => {
    it('gives the case reference and the coarse needs profile of the participant', async () => {
      const request = seeded[0]!;
      const result = await read([request.id]);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual([
        expect.objectContaining({
          __typename: 'PlacementRequest',
          id: request.id,
          municipalityCode: '0126',
          caseReference: caseReference(SHARD_KEY, request.id),
          ageBand: ageBand(request.birth_date, todayInStockholm()),
          householdSize: request.household_adults + request.household_children,
          children: request.household_children,
          excludedMunicipalities: [...new Set(['0126', ...request.excluded_municipalities])].sort(),
        }),
      ]);
      expect(result.data!._entities[0].excludedMunicipalities).toContain('0126');
    });

    it('returns nothing that names the participant: no name, personnummer or birth date', async () => {
      const result = await read(seeded.map((r) => r.id));
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toHaveLength(seeded.length);
      const text = JSON.stringify(result);
      for (const request of seeded) {
        const leaked = [
          request.first_name,
          request.last_name,
          request.personal_identity_number,
          request.personal_identity_number.slice(2),
          request.birth_date,
        ].filter((secret) => text.includes(secret));
        expect({ id: request.id, leaked }).toEqual({ id: request.id, leaked: [] });
      }
    });

    it('gives each request its own reference, the same on every read', async () => {
      const ids = seeded.map((r) => r.id);
      const first = (await read(ids)).data!._entities.map((e: { caseReference: string }) => e.caseReference);
      const again = (await read(ids)).data!._entities.map((e: { caseReference: string }) => e.caseReference);
      expect(again).toEqual(first);
      expect(new Set(first).size).toBe(ids.length);
      for (const [i, reference] of first.entries()) expect(reference).not.toContain(ids[i]);
    });

    it("includes the home municipality among the excluded ones even when the participant's own list lacks it", async () => {
      const request = seeded.find((r) => r.participant_id !== seeded[0]!.participant_id)!;
      await shard.orm.em.getConnection().execute(`update participant set excluded_municipalities = '{0180,0127}' where id = ?`, [request.participant_id]);
      const result = await read([request.id]);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0].excludedMunicipalities).toEqual(['0126', '0127', '0180']);
    });
  });

  describe('as others', () => {
    it('gives a caseworker of the sending municipality the same reference', async () => {
      const result = await read([seeded[0]!.id], await bearer(Role.CASEWORKER, '0126'));
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0].caseReference).toBe(caseReference(SHARD_KEY, seeded[0]!.id));
    });

    it('refuses the fields to a caseworker of another municipality with FORBIDDEN', async () => {
      const result = await read([seeded[0]!.id], await bearer(Role.CASEWORKER, '0127'));
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(new Set(result.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
      expect(JSON.stringify(result)).not.toContain(caseReference(SHARD_KEY, seeded[0]!.id));
    });
  });
});
