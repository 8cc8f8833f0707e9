import { Role } from '@sodertorn/auth';
import { isAllowed, type AuthorizationContext, type FieldRule, type Policy } from '@sodertorn/service-kit';
import { conditionalRoles, FIELD_KINDS, kindOf, tableAllows, type Subgraph, type TableCaller } from '@sodertorn/testing';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// The policy modules themselves, not the subgraphs' entry points: this file is the one mutation
// testing runs for every mutant of a policy, so it loads nothing else (`npm run mutation`).
import { municipalityPolicy } from '../../subgraphs/municipality/src/access-policy';
import { regionalPolicy } from '../../subgraphs/regional/src/access-policy';

/** A subgraph's schema as its deployments serve it: the committed SDL (schema-drift.test.ts keeps it equal to the code's). */
const committedSchema = (file: string): GraphQLSchema => buildSchema(readFileSync(resolve(__dirname, '../../schema', file), 'utf8'));

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
      return policySays === tableSays
        ? []
        : [`${type}.${field} as ${label}: policy ${policySays ? 'allows' : 'refuses'}, role table ${tableSays ? 'allows' : 'refuses'}`];
    }),
  );
}

/** Roles a field's rule grants only under a condition on the object, per the policy. */
function conditionalInPolicy(rule: FieldRule | undefined): Role[] {
  return rule === undefined || rule === 'schema' ? [] : rule.filter((grant) => grant.when).map((grant) => grant.role);
}

// The regional subgraph serves no municipality: its grants are all `any`, and its resolvers
// narrow a caseworker or housing manager to the placements of their municipality.
describe.each<[Subgraph, string, Policy, string | undefined]>([
  ['municipal', 'municipality.graphql', municipalityPolicy, OWN],
  ['regional', 'regional.graphql', regionalPolicy, undefined],
])("The %s access policy and the README's role table", (subgraph, file, policy, served) => {
  const schema = committedSchema(file);

  it('agree on every field, for every role of the own, another or no municipality, and without a token', () => {
    expect(disagreements(schema, policy, subgraph, served)).toEqual([]);
  });

  it('grant under a condition to the same roles, saying what the condition is', () => {
    const differing = schemaFields(schema).filter(
      ([type, field]) => conditionalInPolicy(policy[type]?.[field]).join() !== conditionalRoles(subgraph, type, field).join(),
    );
    expect(differing).toEqual([]);
    for (const [type, field] of schemaFields(schema)) {
      const rule = policy[type]?.[field];
      if (rule === undefined || rule === 'schema') continue;
      for (const grant of rule.filter((g) => g.when)) expect(grant.whenDescription?.length).toBeGreaterThan(0);
    }
  });

  it('name the same fields: the table has a kind for every field of the schema, and none it lacks', () => {
    expect(schemaFields(schema).filter(([type, field]) => kindOf(subgraph, type, field) === undefined)).toEqual([]);
    const inSchema = new Set(schemaFields(schema).map(([type, field]) => `${type}.${field}`));
    const tabled = Object.entries(FIELD_KINDS[subgraph]).flatMap(([type, kinds]) =>
      typeof kinds === 'string' ? [] : Object.keys(kinds).map((field) => `${type}.${field}`),
    );
    const tabledTypes = Object.keys(FIELD_KINDS[subgraph]).filter((type) => !isObjectType(schema.getType(type)));
    expect([...tabled.filter((name) => !inSchema.has(name)), ...tabledTypes]).toEqual([]);
  });
});
