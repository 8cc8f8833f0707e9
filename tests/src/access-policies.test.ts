import { Role } from '@sodertorn/auth';
import { buildRegionalSchema, regionalPolicy } from '@sodertorn/regional';
import { fieldsWithoutRule, isAllowed, type AuthorizationContext, type FieldRule, type Policy } from '@sodertorn/service-kit';
import { conditionalRoles, FIELD_KINDS, kindOf, tableAllows, type Subgraph, type TableCaller } from '@sodertorn/testing';
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
    .flatMap(([typeName, fields]) => Object.entries(fields).filter(([, rule]) => predicate(rule)).map(([fieldName]) => `${typeName}.${fieldName}`))
    .sort();
}

/** Every field of the schema's object types, as [type, field] (introspection types excepted). */
function schemaFields(schema: GraphQLSchema): [string, string][] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field): [string, string] => [type.name, field]));
}

/** The municipality a municipal deployment serves in these checks, and another one. */
const OWN = '0126';
const OTHER = '0127';

/** No token; each role alone, of the own municipality, of another, and of none (the region's). */
const CALLERS: [label: string, caller: TableCaller | undefined][] = [
  ['anonymous', undefined],
  ...Object.values(Role).flatMap((role): [string, TableCaller][] => [
    [`${role} of ${OWN}`, { roles: [role], municipality: OWN }],
    [`${role} of ${OTHER}`, { roles: [role], municipality: OTHER }],
    [`${role} of the region`, { roles: [role] }],
  ]),
];

/**
 * Where the policy and the role table (written from the README, in @sodertorn/testing) disagree
 * on whether a caller may reach a field outright: `Type.field as caller: policy allows/refuses`.
 */
function disagreements(schema: GraphQLSchema, policy: Policy, subgraph: Subgraph, served: string | undefined): string[] {
  return schemaFields(schema).flatMap(([type, field]) =>
    CALLERS.flatMap(([label, caller]) => {
      const context: AuthorizationContext = {
        identity: caller && { sub: 'table-check', roles: [...caller.roles], municipality: caller.municipality, token: '' },
        municipalityCode: served,
      };
      const policySays = isAllowed(policy[type]?.[field], context);
      const tableSays = tableAllows(subgraph, caller, served, type, field);
      return policySays === tableSays ? [] : [`${type}.${field} as ${label}: policy ${policySays ? 'allows' : 'refuses'}, role table ${tableSays ? 'allows' : 'refuses'}`];
    }),
  );
}

/** Roles a field's rule grants only under a condition on the object, per the policy. */
function conditionalInPolicy(rule: FieldRule | undefined): string[] {
  return rule === undefined || rule === 'schema' ? [] : rule.filter((grant) => grant.when).map((grant) => `${grant.role}:${grant.scope}`);
}

/** A copy of the policy without one field's rule. */
function without(policy: Policy, typeName: string, fieldName: string): Policy {
  const { [fieldName]: _removed, ...rest } = policy[typeName]!;
  return { ...policy, [typeName]: rest };
}

describe('Access policies', () => {
  // The regional subgraph serves no municipality: its grants are all `any`, and its resolvers
  // narrow a caseworker or housing manager to the placements of their municipality.
  const subgraphs: [Subgraph, () => Promise<GraphQLSchema>, Policy, string | undefined][] = [
    ['municipal', buildMunicipalitySchema, municipalityPolicy, OWN],
    ['regional', buildRegionalSchema, regionalPolicy, undefined],
  ];

  describe.each(subgraphs)('of the %s subgraph', (subgraph, build, policy, served) => {
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

    it("agrees with the README's role table on every field, for every role of the own, another or no municipality", () => {
      expect(disagreements(schema, policy, subgraph, served)).toEqual([]);
    });

    it("grants under a condition exactly where the README's role table does", () => {
      const conditional = (type: string, field: string) => ({
        policy: conditionalInPolicy(policy[type]?.[field]).map((grant) => grant.split(':')[0]),
        table: conditionalRoles(subgraph, type, field),
      });
      const differing = schemaFields(schema).filter(([type, field]) => {
        const { policy: inPolicy, table } = conditional(type, field);
        return inPolicy.join() !== table.join();
      });
      expect(differing).toEqual([]);
    });

    it('has the role table name a kind for every field, and no field the schema lacks', () => {
      expect(schemaFields(schema).filter(([type, field]) => kindOf(subgraph, type, field) === undefined)).toEqual([]);
      const tabled = Object.entries(FIELD_KINDS[subgraph]).flatMap(([type, kinds]) =>
        typeof kinds === 'string' ? [] : Object.keys(kinds).map((field) => `${type}.${field}`),
      );
      const inSchema = new Set(schemaFields(schema).map(([type, field]) => `${type}.${field}`));
      const tabledTypes = Object.keys(FIELD_KINDS[subgraph]).filter((type) => !isObjectType(schema.getType(type)));
      expect([...tabled.filter((name) => !inSchema.has(name)), ...tabledTypes]).toEqual([]);
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
