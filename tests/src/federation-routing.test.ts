import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Client } from 'pg';
import { startTestRegion, type TestRegion } from './support/test-region';

const REGION = `{ region { municipalities { code name housingUnits { id } } } }`;

async function countParticipants(databaseUrl: string, lastName: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>('select count(*) as n from participant where last_name = $1', [lastName]);
    return Number(rows[0]!.n);
  } finally {
    await db.end();
  }
}

const REGISTER = `mutation($code: ID!, $input: RegisterParticipantInput!) { registerParticipant(municipalityCode: $code, input: $input) { id } }`;
const participantInput = (lastName: string) => ({
  firstName: 'Routing',
  lastName,
  personalIdentityNumber: '199503129810',
  birthDate: '1995-03-12',
  gender: 'FEMALE',
  referralSource: 'SELF',
  riskLevel: 'LOW',
  intakeDate: '2026-11-20',
  responsibleCaseworker: 'caseworker-test',
});

describe('Gateway: routing municipal data by municipality', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  describe('root fields', () => {
    it('sends a mutation to exactly the municipality it names, and to no other', async () => {
      const result = await postGraphQL(
        region.gateway.url,
        REGISTER,
        { code: '0138', input: participantInput('Routingtest') },
        await bearer(Role.CASEWORKER, '0138'),
      );
      expect(result.errors).toBeUndefined();
      for (const [code, shard] of region.shards) {
        expect(await countParticipants(shard.database.url, 'Routingtest')).toBe(code === '0138' ? 1 : 0);
      }
    });

    it('refuses one operation addressing two municipalities, without reaching either', async () => {
      const result = await postGraphQL(
        region.gateway.url,
        `mutation($a: RegisterParticipantInput!, $b: RegisterParticipantInput!) {
           a: registerParticipant(municipalityCode: "0126", input: $a) { id }
           b: registerParticipant(municipalityCode: "0127", input: $b) { id }
         }`,
        { a: participantInput('Twoplaces'), b: participantInput('Twoplaces') },
        await bearer(Role.CASEWORKER, '0126'),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITIES_DIFFER' });
      expect(await countParticipants(region.shards.get('0126')!.database.url, 'Twoplaces')).toBe(0);
      expect(await countParticipants(region.shards.get('0127')!.database.url, 'Twoplaces')).toBe(0);
    });

    it('names an unknown municipality code in the error', async () => {
      const result = await postGraphQL(region.gateway.url, `{ participants(municipalityCode: "9999") { id } }`, {}, await bearer(Role.COORDINATOR));
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNKNOWN_MUNICIPALITY', municipalityCode: '9999' }) }),
      ]);
    });

    it('reads one municipality through its own deployment', async () => {
      const result = await postGraphQL(
        region.gateway.url,
        `{ myMunicipality(municipalityCode: "0181") { code name housingUnits { id } } }`,
        {},
        await bearer(Role.CASEWORKER, '0181'),
      );
      expect(result.errors).toBeUndefined();
      const db = new Client({ connectionString: region.shards.get('0181')!.database.url });
      await db.connect();
      const { rows } = await db.query(`select id from housing_unit where status <> 'RETIRED'`);
      await db.end();
      expect(result.data!.myMunicipality).toMatchObject({ code: '0181', name: 'Södertälje' });
      expect(result.data!.myMunicipality.housingUnits).toHaveLength(rows.length);
    });
  });

  describe('root fields without municipalityCode', () => {
    it("go to the caller's own municipality, from the token", async () => {
      const result = await postGraphQL(
        region.gateway.url,
        `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
        { input: participantInput('Ownmunicipality') },
        await bearer(Role.CASEWORKER, '0140'),
      );
      expect(result.errors).toBeUndefined();
      for (const [code, shard] of region.shards) {
        expect(await countParticipants(shard.database.url, 'Ownmunicipality')).toBe(code === '0140' ? 1 : 0);
      }
      const read = await postGraphQL(region.gateway.url, `{ myMunicipality { code name } }`, {}, await bearer(Role.HOUSING_MANAGER, '0181'));
      expect(read.errors).toBeUndefined();
      expect(read.data!.myMunicipality).toEqual({ code: '0181', name: 'Södertälje' });
    });

    it('are refused, reaching no shard, when the token names no municipality', async () => {
      const result = await postGraphQL(
        region.gateway.url,
        `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
        { input: participantInput('Nomunicipality') },
        await bearer(Role.COORDINATOR),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_REQUIRED' });
      for (const shard of region.shards.values()) expect(await countParticipants(shard.database.url, 'Nomunicipality')).toBe(0);
    });
  });

  describe('a municipality that is down', () => {
    it('loses only its own data; the error names it and the other seven answer', async () => {
      await region.shards.get('0128')!.stopServing();
      const result = await postGraphQL(region.gateway.url, REGION, {}, await bearer(Role.COORDINATOR));
      const municipalities = result.data!.region.municipalities as { code: string; name: string; housingUnits: unknown[] | null }[];
      expect(municipalities).toHaveLength(8);
      for (const m of municipalities) {
        if (m.code === '0128') expect(m.housingUnits).toBeNull();
        else expect(m.housingUnits!.length).toBeGreaterThanOrEqual(5);
      }
      expect(municipalities.find((m) => m.code === '0128')!.name).toBe('Salem');
      expect(result.errors).toEqual([
        expect.objectContaining({
          path: ['region', 'municipalities', 2],
          extensions: expect.objectContaining({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0128' }),
        }),
      ]);
    });

    it('fails a root field addressed to it with an error naming it', async () => {
      const result = await postGraphQL(region.gateway.url, `{ participants(municipalityCode: "0128") { id } }`, {}, await bearer(Role.CASEWORKER, '0128'));
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: '0128' });
    });
  });
});
