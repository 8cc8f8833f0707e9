import { buildRegionalSchema, regionalPolicy } from '@sodertorn/regional';
import { fieldsWithoutRule, type FieldRule, type Policy } from '@sodertorn/service-kit';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { buildMunicipalitySchema, municipalityPolicy } from '@sodertorn/municipality';

/** Rules of the policy that name a type or field the schema does not have: left over from a rename or removal. */
function staleRules(schema: GraphQLSchema, policy: Policy): string[] {
  const stale: string[] = [];
  for (const [typeName, fields] of Object.entries(policy)) {
    const type = schema.getType(typeName);
    for (const fieldName of Object.keys(fields)) {
      if (!isObjectType(type) || !(fieldName in type.getFields())) stale.push(`${typeName}.${fieldName}`);
    }
  }
  return stale.sort();
}

function rulesWhere(policy: Policy, predicate: (rule: FieldRule) => boolean): string[] {
  return Object.entries(policy)
    .flatMap(([typeName, fields]) =>
      Object.entries(fields)
        .filter(([, rule]) => predicate(rule))
        .map(([fieldName]) => `${typeName}.${fieldName}`),
    )
    .sort();
}

/** A copy of the policy without one field's rule. */
function without(policy: Policy, typeName: string, fieldName: string): Policy {
  const { [fieldName]: _removed, ...rest } = policy[typeName]!;
  return { ...policy, [typeName]: rest };
}

describe('Access policies', () => {
  const subgraphs: [string, () => Promise<GraphQLSchema>, Policy][] = [
    ['municipal', buildMunicipalitySchema, municipalityPolicy],
    ['regional', buildRegionalSchema, regionalPolicy],
  ];

  describe.each(subgraphs)('of the %s subgraph', (_name, build, policy) => {
    let schema: GraphQLSchema;

    beforeAll(async () => {
      schema = await build();
    });

    it('gives every field of the built schema a rule', () => {
      expect(fieldsWithoutRule(schema, policy)).toEqual([]);
    });

    it('names no type or field that the schema does not have', () => {
      expect(staleRules(schema, policy)).toEqual([]);
    });

    it('opens nothing but the SDL to anonymous callers', () => {
      expect(rulesWhere(policy, (rule) => rule === 'schema')).toEqual(['Query._service', '_Service.sdl']);
    });

    it('covers the federation fields buildSubgraphSchema adds', () => {
      expect(policy.Query?._entities).toBeDefined();
      expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['_service', '_entities']));
    });
  });

  describe('the municipal policy', () => {
    it.each([['Participant'], ['AuditEntry']])('grants the fields of %s to staff of the owning municipality only', (typeName) => {
      const fields = municipalityPolicy[typeName]!;
      expect(Object.keys(fields).length).toBeGreaterThan(0);
      const open = Object.entries(fields).filter(([, rule]) => rule === 'schema' || rule.some((grant) => grant.scope !== 'own'));
      expect(open).toEqual([]);
    });

    it('grants a street address to the owning municipality, and to others only under a condition', () => {
      const rule = municipalityPolicy.HousingUnit!.streetAddress!;
      expect(rule).not.toBe('schema');
      const grants = rule as Exclude<FieldRule, 'schema'>;
      expect(grants.every((grant) => grant.scope === 'own' || grant.when !== undefined)).toBe(true);
      expect(grants.filter((grant) => grant.when === undefined).map((g) => g.role)).toEqual(['HOUSING_MANAGER']);
    });
  });

  describe('the checks themselves', () => {
    let schema: GraphQLSchema;

    beforeAll(async () => {
      schema = await buildMunicipalitySchema();
    });

    it('reports a field whose rule is missing', () => {
      const policy = without(without(municipalityPolicy, 'Participant', 'personalIdentityNumber'), 'Query', '_entities');
      expect(fieldsWithoutRule(schema, policy)).toEqual(['Participant.personalIdentityNumber', 'Query._entities']);
    });

    it('reports a rule for a field or type the schema does not have', () => {
      const policy: Policy = {
        ...municipalityPolicy,
        Participant: { ...municipalityPolicy.Participant, nickname: [] },
        Household: { size: [] },
      };
      expect(staleRules(schema, policy)).toEqual(['Household.size', 'Participant.nickname']);
    });
  });
});
