import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Booking } from '../bookings/booking.entity';
import { HousingUnit } from '../housing/housing-unit.entity';
import { Participant } from '../participants/participant.entity';
import { startTestShard, type TestShard } from '../test-support';

const ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      __typename
      ... on HousingUnit {
        id
        municipalityCode
        district
      }
      ... on Booking {
        id
        places
      }
      ... on Municipality {
        code
      }
    }
  }
`;

const UNKNOWN_ID = '3d6f1c9e-8a2b-4c7d-9e0f-112233445566';

type ErrorOut = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };
const errorAt = (errors: ErrorOut[] | undefined, index: number) => errors?.find((e) => e.path?.[0] === '_entities' && e.path?.[1] === index);

describe('Municipal subgraph: entity references (_entities)', () => {
  let shard: TestShard;
  let units: HousingUnit[];
  let participant: Participant;
  /** Entity references come from the gateway, carrying the caller's token; a coordinator's region view is the usual one. */
  let coordinator: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126', { seed: true });
    coordinator = await bearer(Role.COORDINATOR);
    const em = shard.orm.em.fork();
    units = await em.find(HousingUnit, {}, { orderBy: { id: 'asc' }, limit: 3 });
    [participant] = (await em.find(Participant, {}, { limit: 1 })) as [Participant];
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const entities = (representations: Record<string, unknown>[]) => postGraphQL(shard.url, ENTITIES, { r: representations }, coordinator);
  const unitKey = (id: string, municipalityCode = '0126') => ({ __typename: 'HousingUnit', municipalityCode, id });

  describe('HousingUnit', () => {
    it('returns the units for keys of its own municipality, in the order asked', async () => {
      expect(units.length).toBeGreaterThanOrEqual(2);
      const asked = [units[1]!, units[0]!];
      const result = await entities(asked.map((u) => unitKey(u.id)));
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual(asked.map((u) => ({ __typename: 'HousingUnit', id: u.id, municipalityCode: '0126', district: u.district })));
    });

    it('refuses a key naming another municipality with WRONG_MUNICIPALITY, even for an id that exists here', async () => {
      const result = await entities([unitKey(units[0]!.id, '0127')]);
      expect(result.data!._entities).toEqual([null]);
      expect(errorAt(result.errors, 0)?.extensions).toMatchObject({ code: 'WRONG_MUNICIPALITY', municipalityCode: '0127' });
      expect(JSON.stringify(result)).not.toContain(units[0]!.district);
    });

    it.each([
      ['an unknown id', UNKNOWN_ID],
      ['a malformed id', 'nope'],
    ])('answers NOT_FOUND for %s', async (_what, id) => {
      const result = await entities([unitKey(id)]);
      expect(result.data!._entities).toEqual([null]);
      expect(errorAt(result.errors, 0)?.extensions?.code).toBe('NOT_FOUND');
    });

    it('lets each bad key fail alone in a mixed batch', async () => {
      const result = await entities([unitKey(units[0]!.id), unitKey(units[1]!.id, '0136'), unitKey(UNKNOWN_ID), unitKey(units[2]!.id)]);
      expect(result.data!._entities).toEqual([expect.objectContaining({ id: units[0]!.id }), null, null, expect.objectContaining({ id: units[2]!.id })]);
      expect(result.errors).toHaveLength(2);
      expect(errorAt(result.errors, 1)?.extensions?.code).toBe('WRONG_MUNICIPALITY');
      expect(errorAt(result.errors, 2)?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('other entities', () => {
    it('resolves a Booking of its own municipality', async () => {
      const [booking] = (await shard.orm.em.fork().find(Booking, {}, { limit: 1 })) as [Booking];
      const result = await entities([{ __typename: 'Booking', municipalityCode: '0126', id: booking.id }]);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual([{ __typename: 'Booking', id: booking.id, places: booking.places }]);
    });

    it('resolves its own Municipality and refuses another one', async () => {
      const result = await entities([
        { __typename: 'Municipality', code: '0126' },
        { __typename: 'Municipality', code: '0180' },
      ]);
      expect(result.data!._entities).toEqual([{ __typename: 'Municipality', code: '0126' }, null]);
      expect(errorAt(result.errors, 1)?.extensions).toMatchObject({ code: 'WRONG_MUNICIPALITY', municipalityCode: '0180' });
    });
  });

  describe('Participant', () => {
    it('is not an entity: the subgraph SDL gives it no @key', async () => {
      const result = await postGraphQL(shard.url, `{ _service { sdl } }`);
      const sdl = result.data!._service.sdl as string;
      expect(sdl).toMatch(/type HousingUnit\s+@key\(fields: "municipalityCode id"\)/);
      expect(sdl).toMatch(/type Participant \{/); // no directive between the name and its fields
      const entityUnion = /union _Entity = (.*)/.exec(sdl)?.[1]?.split(' | ');
      expect(entityUnion).toContain('HousingUnit');
      expect(entityUnion).not.toContain('Participant');
    });

    it('rejects a representation with __typename Participant, returning nothing of the person', async () => {
      const result = await entities([
        { __typename: 'Participant', id: participant.id },
        { __typename: 'Participant', municipalityCode: '0126', id: participant.id },
      ]);
      expect(result.data!._entities).toEqual([null, null]);
      expect(errorAt(result.errors, 0)).toBeDefined();
      expect(errorAt(result.errors, 1)).toBeDefined();
      const text = JSON.stringify(result);
      for (const secret of [participant.personalIdentityNumber, participant.firstName, participant.lastName]) expect(text).not.toContain(secret);
    });

    it('refuses a query that asks for Participant fields through _entities', async () => {
      const result = await postGraphQL(
        shard.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { firstName personalIdentityNumber } } }`,
        {
          r: [{ __typename: 'Participant', id: participant.id }],
        },
        coordinator,
      );
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(result)).not.toContain(participant.personalIdentityNumber);
    });
  });
});
