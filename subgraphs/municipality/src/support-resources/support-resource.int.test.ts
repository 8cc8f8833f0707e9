import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { startTestShard, type TestShard } from '../test-support';
import { SupportResource } from './support-resource.entity';
import { SupportResourceKind } from './support-resource.enums';

const REGISTER = `mutation($code: ID!, $input: RegisterSupportResourceInput!) {
  registerSupportResource(municipalityCode: $code, input: $input) { id kind name capacity }
}`;
const UPDATE = `mutation($code: ID!, $id: ID!, $input: UpdateSupportResourceInput!) {
  updateSupportResource(municipalityCode: $code, id: $id, input: $input) { id kind name capacity }
}`;
const LIST = `query { myMunicipality(municipalityCode: "0126") { supportResources { id kind name capacity } } }`;

type Result = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
const fieldsOf = (result: Result) => ((result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((p) => p.field).sort();

describe('Municipal subgraph: support resources', () => {
  let shard: TestShard;
  /** Support resources are kept by the own municipality's caseworkers (and housing managers). */
  let caseworker: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126');
    caseworker = await bearer(Role.CASEWORKER, '0126');
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const count = () => shard.orm.em.fork().count(SupportResource);
  const stored = (id: string) => shard.orm.em.fork().findOneOrFail(SupportResource, { id });
  const registerRaw = (input: Record<string, unknown>) => postGraphQL(shard.url, REGISTER, { code: '0126', input }, caseworker);
  async function register(input: Record<string, unknown>): Promise<string> {
    const result = await registerRaw(input);
    expect(result.errors).toBeUndefined();
    return result.data!.registerSupportResource.id;
  }
  const update = (id: string, input: Record<string, unknown>) => postGraphQL(shard.url, UPDATE, { code: '0126', id, input }, caseworker);

  describe('registering', () => {
    it('stores a mentor and lists it among the support resources', async () => {
      const id = await register({ kind: 'MENTOR', name: 'Mentor Test', capacity: 3 });
      expect(await stored(id)).toMatchObject({ kind: 'MENTOR', name: 'Mentor Test', capacity: 3 });
      const listed = await postGraphQL(shard.url, LIST, {}, caseworker);
      expect(listed.data!.myMunicipality.supportResources).toContainEqual({ id, kind: 'MENTOR', name: 'Mentor Test', capacity: 3 });
    });

    it.each([0, 500])('accepts a capacity of %i', async (capacity) => {
      const id = await register({ kind: 'PROGRAMME', name: `Programme ${capacity}`, capacity });
      expect((await stored(id)).capacity).toBe(capacity);
    });

    it.each([
      ['a negative capacity', 'capacity', { capacity: -1 }, 'cannot be negative'],
      ['a capacity over 500', 'capacity', { capacity: 501 }, 'must be at most 500'],
      ['an empty name', 'name', { name: '' }, 'must be 1–200 characters'],
      ['a name over 200 characters', 'name', { name: 'x'.repeat(201) }, 'must be 1–200 characters'],
    ])('refuses %s, naming the field and saving nothing', async (_what, field, change, message) => {
      const before = await count();
      const result = await registerRaw({ kind: 'MENTOR', name: 'Mentor Invalid', capacity: 2, ...change });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field, message }] });
      expect(await count()).toBe(before);
    });

    it('refuses every invalid field at once', async () => {
      const result = await registerRaw({ kind: 'MENTOR', name: '', capacity: -5 });
      expect(fieldsOf(result)).toEqual(['capacity', 'name']);
    });

    it('refuses when the municipality code names another municipality, saving nothing', async () => {
      const before = await count();
      const result = await postGraphQL(shard.url, REGISTER, { code: '0136', input: { kind: 'MENTOR', name: 'Elsewhere', capacity: 1 } }, caseworker);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'WRONG_MUNICIPALITY' });
      expect(await count()).toBe(before);
    });
  });

  describe('updating', () => {
    it('changes the capacity and keeps the name', async () => {
      const id = await register({ kind: 'PROGRAMME', name: 'KBT-grupp (test)', capacity: 10 });
      const result = await update(id, { capacity: 12 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateSupportResource).toEqual({ id, kind: 'PROGRAMME', name: 'KBT-grupp (test)', capacity: 12 });
      expect(await stored(id)).toMatchObject({ name: 'KBT-grupp (test)', capacity: 12 });
    });

    it.each([
      ['a negative capacity', { capacity: -1 }, 'capacity'],
      ['a capacity over 500', { capacity: 501 }, 'capacity'],
      ['an empty name', { name: '' }, 'name'],
      ['a null capacity', { capacity: null }, 'capacity'],
      ['a null name', { name: null }, 'name'],
    ])('refuses %s, naming the field and changing nothing', async (_what, input, field) => {
      const id = await register({ kind: 'MENTOR', name: 'Mentor Unchanged', capacity: 4 });
      const result = await update(id, input);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
      expect(await stored(id)).toMatchObject({ name: 'Mentor Unchanged', capacity: 4 });
    });

    it.each([
      ['an unknown id', 'b0b0b0b0-0000-4000-8000-000000000000'],
      ['a malformed id', '42'],
    ])('answers NOT_FOUND for %s', async (_what, id) => {
      const result = await update(id, { capacity: 1 });
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('in the database', () => {
    it('refuses a negative capacity even when written around the API', async () => {
      const em = shard.orm.em.fork();
      em.persist(new SupportResource(SupportResourceKind.MENTOR, 'Raw', -1));
      await expect(em.flush()).rejects.toThrow(/support_resource_capacity_not_negative/);
    });
  });
});
