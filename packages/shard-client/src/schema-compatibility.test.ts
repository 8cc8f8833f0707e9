import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { schemaCompatibility } from './schema-compatibility';

const NEEDS = `
  schema { query: Query mutation: Mutation }
  directive @key(fields: String!) repeatable on OBJECT
  scalar Date
  enum Status { OPEN CLOSED }
  interface Node { id: ID! }
  type Unit implements Node @key(fields: "id") { id: ID! status: Status! places: Int notes: [String!]! }
  type Room { id: ID! }
  union Found = Unit | Room
  input UnitInput { status: Status! places: Int }
  type Query {
    units(status: Status, limit: Int! = 10): [Unit!]!
    search(text: String!): [Found!]!
    since(date: Date): [Unit!]!
  }
  type Mutation { addUnit(input: UnitInput!): Unit! }
`;

/** The needs with one textual change; the change is written out in each test. */
function changed(from: string, to: string): string {
  expect(NEEDS).toContain(from);
  return NEEDS.replace(from, to);
}

describe('schemaCompatibility: which shard schemas can serve what the supergraph routes to them', () => {
  it('accepts the very same schema, however it is laid out', () => {
    expect(schemaCompatibility(NEEDS, NEEDS.replace(/\s+/g, ' '))).toEqual({ compatible: true, problems: [] });
  });

  it.each([
    ['a new field', 'notes: [String!]! }', 'notes: [String!]! floor: Int }'],
    ['a new type', 'type Room {', 'type Kitchen { id: ID! } type Room {'],
    ['a new enum value', 'enum Status { OPEN CLOSED }', 'enum Status { OPEN CLOSED ARCHIVED }'],
    ['a new optional argument', 'search(text: String!)', 'search(text: String!, fuzzy: Boolean)'],
    ['a new required argument with a default', 'search(text: String!)', 'search(text: String!, max: Int! = 5)'],
    ['a new optional input field', 'input UnitInput { status: Status! places: Int }', 'input UnitInput { status: Status! places: Int floor: Int }'],
    ['a new union member', 'union Found = Unit | Room', 'union Found = Unit | Room | Kitchen type Kitchen { id: ID! }'],
    ['an output field that became non-null', 'places: Int notes', 'places: Int! notes'],
    ['an argument that became optional', 'search(text: String!)', 'search(text: String)'],
    ['a second entity key', 'type Unit implements Node @key(fields: "id")', 'type Unit implements Node @key(fields: "id") @key(fields: "status")'],
  ])('accepts a shard that adds %s', (_what, from, to) => {
    expect(schemaCompatibility(NEEDS, changed(from, to))).toEqual({ compatible: true, problems: [] });
  });

  it.each([
    ['a removed field', 'places: Int notes', 'notes', 'field Unit.places is missing'],
    ['a removed type', 'scalar Date', '', 'type Date is missing'],
    ['a removed enum value', 'enum Status { OPEN CLOSED }', 'enum Status { OPEN }', 'enum value Status.CLOSED is missing'],
    ['a removed argument', 'units(status: Status, limit', 'units(limit', 'argument Query.units(status:) is missing'],
    [
      'a new required argument',
      'search(text: String!)',
      'search(text: String!, max: Int!)',
      'argument Query.search(max:) is new and required; the gateway does not send it',
    ],
    ['an argument that became required', 'since(date: Date)', 'since(date: Date!)', 'argument Query.since(date:) has type Date!, expected Date'],
    ['an output field that became nullable', 'status: Status! places', 'status: Status places', 'field Unit.status has type Status, expected Status!'],
    ['a field of another type', 'places: Int notes', 'places: String notes', 'field Unit.places has type String, expected Int'],
    ['a list that became a single value', 'notes: [String!]!', 'notes: String!', 'field Unit.notes has type String!, expected [String!]!'],
    ['an input field that became required', 'places: Int }', 'places: Int! }', 'input field UnitInput.places has type Int!, expected Int'],
    [
      'a new required input field',
      'places: Int }',
      'places: Int floor: Int! }',
      'input field UnitInput.floor is new and required; the gateway does not send it',
    ],
    ['a removed union member', 'union Found = Unit | Room', 'union Found = Unit', 'union Found lacks member Room'],
    ['a dropped interface', 'type Unit implements Node @key', 'type Unit @key', 'type Unit does not implement Node'],
    ['a changed entity key', '@key(fields: "id")', '@key(fields: "status")', 'type Unit lacks entity key @key(fields: "id")'],
    ['a type of another kind', 'type Room { id: ID! }', 'input Room { id: ID! }', 'type Room is an input type, expected an object'],
    ['another root type', 'mutation: Mutation }', 'mutation: Changes } type Changes { x: Int }', 'mutation root type is Changes, expected Mutation'],
  ])('refuses a shard with %s, naming it', (_what, from, to, problem) => {
    const result = schemaCompatibility(NEEDS, changed(from, to));
    expect(result.compatible).toBe(false);
    expect(result.problems).toContain(problem);
  });

  it('reads type extensions as part of their type', () => {
    const shard = changed('places: Int notes', 'notes') + ' extend type Unit { places: Int }';
    expect(schemaCompatibility(NEEDS, shard)).toEqual({ compatible: true, problems: [] });
  });

  it('lists every problem, not just the first', () => {
    const shard = changed('enum Status { OPEN CLOSED }', 'enum Status { OPEN }').replace('places: Int notes', 'notes');
    expect(schemaCompatibility(NEEDS, shard).problems).toEqual(['enum value Status.CLOSED is missing', 'field Unit.places is missing']);
  });

  describe('on the committed municipal subgraph schema', () => {
    const municipality = readFileSync(resolve(__dirname, '../../../schema/municipality.graphql'), 'utf8');

    it('accepts itself and an additive upgrade of it', () => {
      expect(schemaCompatibility(municipality, municipality).compatible).toBe(true);
      expect(schemaCompatibility(municipality, `${municipality}\nextend type Query { newlyAdded(limit: Int): [String!] }`).compatible).toBe(true);
    });

    it('refuses an older build that lacks a field the supergraph routes to it', () => {
      const older = municipality.replace(/^\s*auditLog\(/m, '  auditLogRenamed(');
      expect(schemaCompatibility(municipality, older).problems).toContain('field Query.auditLog is missing');
    });
  });
});
