import { Supergraph } from '@apollo/federation-internals';
import { SCHEMA_FILES } from '@sodertorn/schema';
import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';

/** The schema clients see through the gateway, built from the committed supergraph. */
export function apiSchema(): GraphQLSchema {
  return Supergraph.build(readFileSync(SCHEMA_FILES.supergraph, 'utf8')).apiSchema().toGraphQLJSSchema();
}

export const PERIOD = { from: '2026-12-01', to: '2026-12-15' };

/** A selection of one field with the arguments it needs and, for objects, `__typename` below it. */
export function selectField(field: GraphQLField<unknown, unknown>): string {
  const args: Record<string, string> = { from: `"${PERIOD.from}"`, to: `"${PERIOD.to}"`, limit: '3', code: '"0126"' };
  const required = field.args.filter((a) => args[a.name] !== undefined).map((a) => `${a.name}: ${args[a.name]}`);
  const argumentList = required.length ? `(${required.join(', ')})` : '';
  return `${field.name}${argumentList}${isObjectType(getNamedType(field.type)) ? ' { __typename }' : ''}`;
}

export type Step = readonly [type: string, field: string];

/** How to reach objects of a type in municipality `m` from a root field, and the fields passed on the way. */
export const PATHS: Record<string, (m: string, selection: string) => { query: string; chain: Step[] }> = {
  Region: (_m, s) => ({ query: `{ region { ${s} } }`, chain: [['Query', 'region']] }),
  Municipality: (m, s) => ({
    query: `{ region { municipality(code: "${m}") { ${s} } } }`,
    chain: [
      ['Query', 'region'],
      ['Region', 'municipality'],
    ],
  }),
  HousingUnit: (m, s) => ({
    query: `{ region { municipality(code: "${m}") { housingUnits { ${s} } } } }`,
    chain: [
      ['Query', 'region'],
      ['Region', 'municipality'],
      ['Municipality', 'housingUnits'],
    ],
  }),
  Booking: (m, s) => ({
    query: `{ region { municipality(code: "${m}") { housingUnits { bookings(from: "${PERIOD.from}", to: "${PERIOD.to}") { ${s} } } } } }`,
    chain: [
      ['Query', 'region'],
      ['Region', 'municipality'],
      ['Municipality', 'housingUnits'],
      ['HousingUnit', 'bookings'],
    ],
  }),
  SupportResource: (m, s) => ({
    query: `{ region { municipality(code: "${m}") { supportResources { ${s} } } } }`,
    chain: [
      ['Query', 'region'],
      ['Region', 'municipality'],
      ['Municipality', 'supportResources'],
    ],
  }),
  Participant: (m, s) => ({ query: `{ participants(municipalityCode: "${m}") { ${s} } }`, chain: [['Query', 'participants']] }),
  PlacementRequest: (m, s) => ({
    query: `{ participants(municipalityCode: "${m}") { placementRequests { ${s} } } }`,
    chain: [
      ['Query', 'participants'],
      ['Participant', 'placementRequests'],
    ],
  }),
  PhaseChange: (m, s) => ({
    query: `{ participants(municipalityCode: "${m}") { phaseHistory { ${s} } } }`,
    chain: [
      ['Query', 'participants'],
      ['Participant', 'phaseHistory'],
    ],
  }),
  AuditEntry: (m, s) => ({ query: `{ auditLog(municipalityCode: "${m}", limit: 3) { ${s} } }`, chain: [['Query', 'auditLog']] }),
};

/** Every field of every object type clients can reach, as [type, field]. */
export function reachableFields(schema: GraphQLSchema): { type: GraphQLObjectType; field: GraphQLField<unknown, unknown> }[] {
  return Object.keys(PATHS).flatMap((name) => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type of the API schema`);
    return Object.values(type.getFields()).map((field) => ({ type, field }));
  });
}
