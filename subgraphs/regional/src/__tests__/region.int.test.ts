import type { MunicipalityEntry } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { RegisteredMunicipality } from '../region/registered-municipality.entity';
import { syncRegistry } from '../region/registry-sync';
import { startTestRegional, type TestRegional } from '../test-support';

const entry = (code: string, name: string): MunicipalityEntry => ({ code, name, url: `http://127.0.0.1:4101/graphql?m=${code}` });

/** Deliberately not in code order. */
const REGISTRY = [entry('0136', 'Haninge'), entry('0126', 'Huddinge'), entry('0192', 'Nynäshamn'), entry('0127', 'Botkyrka')];

const MUNICIPALITIES = `{ region { name municipalities { code name } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { code name } } }`;

describe('Regional subgraph', () => {
  let regional: TestRegional;
  /** The registry is the region view; a coordinator works across all members. */
  let coordinator: Record<string, string>;

  beforeAll(async () => {
    // The registry is changed below while the subgraph serves: list what the table holds now.
    regional = await startTestRegional(REGISTRY, { memberListMaxAgeMs: 0 });
    coordinator = await bearer(Role.COORDINATOR);
  });
  afterAll(async () => {
    await regional.destroy();
  });

  const municipalities = async () => {
    const result = await postGraphQL(regional.url, MUNICIPALITIES, {}, coordinator);
    expect(result.errors).toBeUndefined();
    return result.data!.region.municipalities as { code: string; name: string }[];
  };
  const sync = (entries: MunicipalityEntry[]) => syncRegistry(regional.orm.em.fork(), entries);

  describe('region', () => {
    it('lists the registry in kommunkod order', async () => {
      const result = await postGraphQL(regional.url, MUNICIPALITIES, {}, coordinator);
      expect(result.data!.region.name).toBe('Södertörn');
      expect(result.data!.region.municipalities).toEqual([
        { code: '0126', name: 'Huddinge' },
        { code: '0127', name: 'Botkyrka' },
        { code: '0136', name: 'Haninge' },
        { code: '0192', name: 'Nynäshamn' },
      ]);
    });

    it('finds one municipality by code, and null for a code not in the registry', async () => {
      const result = await postGraphQL(
        regional.url,
        `{ region { a: municipality(code: "0136") { code name } b: municipality(code: "0180") { code } } }`,
        {},
        coordinator,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.region).toEqual({ a: { code: '0136', name: 'Haninge' }, b: null });
    });
  });

  describe('Municipality entity references', () => {
    it('returns the name for each code, in the order asked', async () => {
      const result = await postGraphQL(
        regional.url,
        ENTITIES,
        {
          r: [
            { __typename: 'Municipality', code: '0192' },
            { __typename: 'Municipality', code: '0126' },
          ],
        },
        coordinator,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual([
        { code: '0192', name: 'Nynäshamn' },
        { code: '0126', name: 'Huddinge' },
      ]);
    });

    it('answers UNKNOWN_MUNICIPALITY for a code not in the registry, failing only that key', async () => {
      const result = await postGraphQL(
        regional.url,
        ENTITIES,
        {
          r: [
            { __typename: 'Municipality', code: '0127' },
            { __typename: 'Municipality', code: '0180' },
          ],
        },
        coordinator,
      );
      expect(result.data!._entities).toEqual([{ code: '0127', name: 'Botkyrka' }, null]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'UNKNOWN_MUNICIPALITY', municipalityCode: '0180' } });
    });
  });

  describe('syncRegistry', () => {
    afterEach(async () => {
      await sync(REGISTRY);
    });

    it('removes a municipality no longer listed, renames one and adds a new one', async () => {
      await sync([entry('0126', 'Huddinge kommun'), entry('0127', 'Botkyrka'), entry('0136', 'Haninge'), entry('0138', 'Tyresö')]);
      expect(await municipalities()).toEqual([
        { code: '0126', name: 'Huddinge kommun' },
        { code: '0127', name: 'Botkyrka' },
        { code: '0136', name: 'Haninge' },
        { code: '0138', name: 'Tyresö' },
      ]);
      const removed = await postGraphQL(regional.url, ENTITIES, { r: [{ __typename: 'Municipality', code: '0192' }] }, coordinator);
      expect(removed.errors?.[0]?.extensions?.code).toBe('UNKNOWN_MUNICIPALITY');
    });

    it('is idempotent', async () => {
      await sync(REGISTRY);
      await sync(REGISTRY);
      expect((await municipalities()).map((m) => m.code)).toEqual(['0126', '0127', '0136', '0192']);
      expect(await regional.orm.em.fork().count(RegisteredMunicipality)).toBe(REGISTRY.length);
    });

    it('changes nothing when an entry is refused by the database', async () => {
      const before = await municipalities();
      await expect(sync([entry('0126', 'Huddinge'), entry('12', 'Not a kommunkod')])).rejects.toThrow(/municipality_code_format/);
      expect(await municipalities()).toEqual(before);
    });
  });
  describe('the member list a replica keeps', () => {
    it('answers from what it read within its max age (its expiry: member-list.test.ts)', async () => {
      const replica = await startTestRegional(REGISTRY, { memberListMaxAgeMs: 600_000 });
      try {
        const list = async () =>
          ((await postGraphQL(replica.url, MUNICIPALITIES, {}, coordinator)).data!.region.municipalities as { code: string }[]).map((m) => m.code);
        expect(await list()).toEqual(['0126', '0127', '0136', '0192']);
        await syncRegistry(replica.orm.em.fork(), [...REGISTRY, entry('0138', 'Tyresö')]);
        expect(await list()).toEqual(['0126', '0127', '0136', '0192']);
        // The subgraph this file started (max age 0) reads the table for every request: it lists the change at once.
        await syncRegistry(regional.orm.em.fork(), [...REGISTRY, entry('0138', 'Tyresö')]);
        expect(await municipalities()).toHaveLength(5);
      } finally {
        await sync(REGISTRY);
        await replica.destroy();
      }
    });
  });
});
