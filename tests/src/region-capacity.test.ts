import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Client } from 'pg';
import { startTestRegion, type TestRegion } from './support/test-region';

const CAPACITY = /* GraphQL */ `
  query RegionCapacity($from: LocalDate!, $to: LocalDate!) {
    region {
      municipalities {
        code
        name
        housingUnits {
          id
          municipalityCode
          kind
          places
          freePlaces(from: $from, to: $to)
        }
      }
    }
  }
`;

describe('End to end: the region-wide capacity query', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion();
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('answers for all eight municipalities, each from its own database', async () => {
    const result = await postGraphQL(region.gateway.url, CAPACITY, { from: '2026-12-01', to: '2026-12-15' }, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    const municipalities = result.data!.region.municipalities as {
      code: string;
      housingUnits: { id: string; municipalityCode: string; freePlaces: number; places: number }[];
    }[];
    expect(municipalities.map((m) => m.code)).toEqual(['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192']);
    for (const municipality of municipalities) {
      const db = new Client({ connectionString: region.shards.get(municipality.code)!.database.url });
      await db.connect();
      const { rows } = await db.query<{ id: string }>(`select id from housing_unit where status <> 'RETIRED' order by id`);
      await db.end();
      expect(municipality.housingUnits.map((u) => u.id).sort()).toEqual(rows.map((r) => r.id));
      for (const unit of municipality.housingUnits) {
        expect(unit.municipalityCode).toBe(municipality.code);
        expect(unit.freePlaces).toBeGreaterThanOrEqual(0);
        expect(unit.freePlaces).toBeLessThanOrEqual(unit.places);
      }
    }
  });
});
