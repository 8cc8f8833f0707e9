import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Client } from 'pg';
import { openRequest } from './support/placement-fixtures';
import { startTestRegion, type TestRegion } from './support/test-region';

/** Every per-object field a region-wide read touches: each must be batched per request (no N+1 per unit). */
const REGION_UNITS = /* GraphQL */ `
  query RegionUnitsAndBookings($from: LocalDate!, $to: LocalDate!) {
    region {
      municipalities {
        code
        housingUnits {
          id
          freePlaces(from: $from, to: $to)
          bookings(from: $from, to: $to) {
            id
            unit {
              id
            }
          }
        }
      }
    }
  }
`;

/** Participants (each read audited) with their placement requests and what those derive from the participant. */
const PARTICIPANTS = /* GraphQL */ `
  query ParticipantsAndRequests {
    participants {
      id
      firstName
      placementRequests {
        id
        ageBand
        householdSize
        excludedMunicipalities
      }
    }
  }
`;

/** A small constant: the unit list, free places, bookings and their units, whatever the number of units. */
const MAX_STATEMENTS_PER_SHARD = 6;

describe('End to end: SQL statements per shard for a region-wide query', () => {
  let region: TestRegion;
  const statements = new Map<string, string[]>();

  beforeAll(async () => {
    region = await startTestRegion({
      onShardQuery: (code, sql) => {
        if (!statements.has(code)) statements.set(code, []);
        statements.get(code)!.push(sql);
      },
    });
  });
  afterAll(async () => {
    await region.destroy();
  });

  async function statementsPerShard(): Promise<{ counts: Record<string, number>; units: Record<string, number> }> {
    statements.clear();
    const result = await postGraphQL(region.gateway.url, REGION_UNITS, { from: '2026-11-01', to: '2027-03-01' }, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    const municipalities = result.data!.region.municipalities as { code: string; housingUnits: { id: string; bookings: { unit: { id: string } }[] }[] }[];
    const units: Record<string, number> = {};
    for (const m of municipalities) {
      units[m.code] = m.housingUnits.length;
      for (const unit of m.housingUnits) for (const booking of unit.bookings) expect(booking.unit.id).toBe(unit.id);
    }
    // The window holds bookings, so the booking → unit hop above was taken (the N+1 it guards against needs some).
    expect(municipalities.flatMap((m) => m.housingUnits.flatMap((u) => u.bookings)).length).toBeGreaterThan(0);
    const counts = Object.fromEntries(region.registry.map((m) => [m.code, statements.get(m.code)?.length ?? 0]));
    return { counts, units };
  }

  /** Copies every housing unit of every shard under a new id: twice the units, same shape of data. */
  async function doubleTheUnits(): Promise<void> {
    for (const shard of region.shards.values()) {
      const db = new Client({ connectionString: shard.database.url });
      await db.connect();
      try {
        const { rows } = await db.query<{ column_name: string }>(
          `select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'housing_unit' and column_name <> 'id'`,
        );
        const columns = rows.map((r) => `"${r.column_name}"`).join(', ');
        await db.query(`insert into housing_unit (id, ${columns}) select gen_random_uuid(), ${columns} from housing_unit`);
      } finally {
        await db.end();
      }
    }
  }

  it('sends a small constant number of statements to each shard, independent of the number of units', async () => {
    const before = await statementsPerShard();
    expect(Object.values(before.units).some((n) => n > 1)).toBe(true);
    const outOfBounds = Object.entries(before.counts).filter(([, count]) => count === 0 || count > MAX_STATEMENTS_PER_SHARD);
    expect(outOfBounds).toEqual([]);

    await doubleTheUnits();
    const after = await statementsPerShard();
    for (const [code, units] of Object.entries(before.units)) expect(after.units[code]).toBe(2 * units);
    expect(after.counts).toEqual(before.counts);
  });

  it("reads a shard's participants and their placement requests in a constant number of statements", async () => {
    const caseworker = await bearer(Role.CASEWORKER, '0126');
    const read = async () => {
      statements.clear();
      const result = await postGraphQL(region.gateway.url, PARTICIPANTS, {}, caseworker);
      expect(result.errors).toBeUndefined();
      const participants = result.data!.participants as { placementRequests: unknown[] }[];
      return {
        participants: participants.length,
        requests: participants.flatMap((p) => p.placementRequests).length,
        count: statements.get('0126')?.length ?? 0,
      };
    };
    for (let i = 0; i < 3; i++) await openRequest(region.gateway.url, '0126');
    const before = await read();
    expect(before.requests).toBeGreaterThanOrEqual(3);
    expect(before.count).toBeLessThanOrEqual(MAX_STATEMENTS_PER_SHARD + 4); // + the audit log's transaction: begin, lock, last hash, insert, commit
    for (let i = 0; i < before.participants; i++) await openRequest(region.gateway.url, '0126');
    const after = await read();
    expect(after.participants).toBe(2 * before.participants);
    expect(after.count).toBe(before.count);
  });
});
