import { readFileSync } from 'node:fs';
import { buildSchema, parseOperation, Supergraph, type FieldSelection, type Operation } from '@apollo/federation-internals';
import { SCHEMA_FILES } from '@sodertorn/schema';
import { prng } from '@sodertorn/testing';
import { computeResponse } from './compiled-result-shaping';
import { apolloComputeResponse, installCompiledResultShaping } from './install';

/**
 * The compiled result shaping against Apollo Gateway's own `computeResponse`,
 * the oracle: for every operation and subgraph answer below — valid, invalid,
 * merged from several selections, and a few thousand seeded random corruptions
 * of them — both must give the same data (same keys in the same order), the
 * same errors (message, path, code) or throw the same message.
 */
type Compute = typeof computeResponse;
const apollo = apolloComputeResponse as Compute;

const schema = buildSchema(`
  scalar LocalDate
  enum Kind { PROTECTED TRAINING_FLAT }
  interface Place { id: ID! name: String }
  type Unit implements Place { id: ID! name: String kind: Kind! places: Int! rate: Float open: Boolean from: LocalDate tags: [String!] }
  type Office implements Place { id: ID! name: String staff: Int }
  union Found = Unit | Office
  type Municipality { code: String! name: String units: [Unit!]! places: [Place] best: Unit found: [Found!] }
  type Query { municipalities: [Municipality!]! one(code: String!): Municipality unit: Unit! found: [Found] }
`);

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
}

const unit = (i: number, extra: Record<string, unknown> = {}) => ({
  __typename: 'Unit',
  id: `u${i}`,
  name: `Unit ${i}`,
  kind: i % 2 ? 'PROTECTED' : 'TRAINING_FLAT',
  places: i + 1,
  rate: i / 2,
  open: i % 3 === 0,
  from: '2026-12-01',
  tags: ['a', 'b'],
  secret: 'never asked for',
  ...extra,
});
const municipality = (code: string, units: number) => ({
  __typename: 'Municipality',
  code,
  name: `Kommun ${code}`,
  units: Array.from({ length: units }, (_, i) => unit(i)),
  places: [unit(90), { __typename: 'Office', id: 'o1', name: 'Kontor', staff: 4 }, null],
  best: unit(7),
  found: [{ __typename: 'Office', id: 'o2', name: 'Annex', staff: 2 }, unit(8)],
});
const region = { municipalities: [municipality('0126', 3), municipality('0127', 2)], unit: unit(1), found: [unit(2), null] };

const QUERY = `
  query Q($skipName: Boolean!, $withRate: Boolean = true) {
    municipalities {
      code
      kommun: name @skip(if: $skipName)
      __typename
      units { id kind places rate @include(if: $withRate) open from tags t: __typename }
      places { __typename id ... on Unit { kind } ... on Office { staff } name }
      best { ...U }
      found { ... on Unit { id places } ... on Office { id staff } ... on Place { name } }
      ... on Municipality { best { name kind } units { name } }
    }
    unit { id ... U }
    found { __typename ... on Unit { id } }
  }
  fragment U on Unit { id name kind places @skip(if: false) }
`;

const fixedCases: Case[] = [
  { name: 'a valid answer with aliases, fragments, skip and include', query: QUERY, variables: { skipName: false }, input: region },
  { name: 'skip by variable and include by default', query: QUERY, variables: { skipName: true, withRate: false }, input: region },
  { name: 'no answer', query: QUERY, variables: { skipName: false }, input: undefined },
  { name: 'a null answer', query: QUERY, variables: { skipName: false }, input: null },
  { name: 'a missing non-null field bubbles to the nullable parent', query: '{ one(code: "1") { code name } }', input: { one: { name: 'x' } } },
  {
    name: 'a null in a non-null list element nulls the list and bubbles to the root',
    query: '{ municipalities { code units { id } } }',
    input: { municipalities: [{ code: '1', units: [{ id: 'a' }, null] }] },
  },
  { name: 'a wrong enum value', query: '{ unit { id kind } }', input: { unit: { id: 'a', kind: 'CASTLE' } } },
  {
    name: 'wrong scalars',
    query: '{ one(code: "1") { best { id places rate open name } } }',
    input: { one: { best: { id: 1.5, places: '3', rate: 'x', open: 1, name: 4 } } },
  },
  {
    name: 'an Int that is not an integer, a huge Float and an ID as a number',
    query: '{ one(code: "1") { best { id places rate } } }',
    input: { one: { best: { id: 7, places: 2.5, rate: 1e300 } } },
  },
  { name: 'a custom scalar passes as it is', query: '{ one(code: "1") { best { from } } }', input: { one: { best: { from: { any: 'thing' } } } } },
  {
    name: 'an unknown __typename',
    query: '{ one(code: "1") { best { id } places { id } } }',
    input: { one: { best: { __typename: 'Castle', id: '1' }, places: [{ __typename: 'Nope', id: '2' }] } },
  },
  { name: 'a __typename naming an interface', query: '{ found { __typename } }', input: { found: [{ __typename: 'Place' }] } },
  { name: 'a __typename that is not a string', query: '{ one(code: "1") { best { id } } }', input: { one: { best: { __typename: 5, id: '1' } } } },
  { name: 'a list where an object was', query: '{ one(code: "1") { best { id } } }', input: { one: { best: 'nope' } } },
  { name: 'an object where a list was', query: '{ municipalities { code } }', input: { municipalities: { code: '1' } } },
  {
    name: 'inherited properties are not read',
    query: '{ one(code: "1") { name } }',
    input: { one: Object.create({ name: 'from the prototype' }) as Record<string, unknown> },
  },
  {
    name: 'introspection fields go to the handler',
    query: '{ __typename one(code: "1") { code } __schema { queryType { name } } }',
    input: { one: { code: '1' } },
  },
];

/** A seeded corruption of `value`: a field dropped, nulled or given a value of the wrong kind; a list element nulled. */
function corrupt(value: unknown, random: () => number, depth = 0): unknown {
  const odd = [null, undefined, 'CASTLE', 3.5, -1, true, {}, [], 'u1', 2 ** 40, { __typename: 'Office' }, { __typename: 'Nope' }];
  if (random() < 0.06) return odd[Math.floor(random() * odd.length)];
  if (Array.isArray(value)) return value.map((v) => corrupt(v, random, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (random() > 0.03) out[key] = corrupt(v, random, depth + 1);
    return out;
  }
  return value;
}

type Outcome =
  | { thrown: string }
  | { data: string; prototypeFree: boolean | undefined; errors: { message: string; path: unknown; code: unknown }[]; introspected: string[] };

function outcome(compute: Compute, c: Case, operation: Operation): Outcome {
  const introspected: string[] = [];
  const introspectionHandling = (selection: FieldSelection) => {
    introspected.push(selection.element.responseName());
    return { introspected: selection.element.name };
  };
  try {
    const { data, errors } = compute({ operation, variables: c.variables, input: structuredClone(c.input), introspectionHandling });
    return {
      data: JSON.stringify(data),
      prototypeFree: data ? Object.getPrototypeOf(data) === null : undefined,
      errors: errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions.code })),
      introspected,
    };
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

describe('compiled result shaping', () => {
  test('the oracle is Apollo Gateway’s own function, not this one', () => {
    expect(typeof apollo).toBe('function');
    expect(apollo).not.toBe(computeResponse);
  });

  test.each(fixedCases)('same as Apollo: $name', (c) => {
    const operation = parseOperation(schema, c.query);
    const expected = outcome(apollo, c, operation);
    expect(outcome(computeResponse, c, operation)).toEqual(expected);
  });

  test('the cases are not all alike: they cover data, errors, bubbling, throws and introspection', () => {
    const outcomes = fixedCases.map((c) => outcome(apollo, c, parseOperation(schema, c.query)));
    expect(outcomes.some((o) => 'errors' in o && o.errors.length === 0 && o.data !== 'null')).toBe(true);
    expect(outcomes.some((o) => 'errors' in o && o.errors.some((e) => e.message.startsWith('Cannot return null for non-nullable')))).toBe(true);
    expect(outcomes.some((o) => 'errors' in o && o.errors.some((e) => e.message.startsWith('Invalid value found for')))).toBe(true);
    expect(outcomes.some((o) => 'errors' in o && o.errors.some((e) => e.message.startsWith('Invalid __typename found')))).toBe(true);
    expect(outcomes.some((o) => 'errors' in o && o.data === 'null')).toBe(true);
    expect(outcomes.some((o) => 'thrown' in o)).toBe(true);
    expect(outcomes.some((o) => 'introspected' in o && o.introspected.length > 0)).toBe(true);
  });

  test('same as Apollo on 3,000 seeded corruptions of a valid answer', () => {
    const operation = parseOperation(schema, QUERY);
    const random = prng(16);
    let differing = 0;
    let firstDifference: unknown;
    let withErrors = 0;
    for (let i = 0; i < 3000; i++) {
      const c: Case = {
        name: `corruption ${i}`,
        query: QUERY,
        variables: { skipName: i % 2 === 0 },
        input: corrupt(region, random) as Record<string, unknown>,
      };
      const expected = outcome(apollo, c, operation);
      const got = outcome(computeResponse, c, operation);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        differing++;
        firstDifference ??= { input: c.input, got, expected };
      }
      if ('errors' in expected && expected.errors.length > 0) withErrors++;
    }
    expect({ differing, firstDifference }).toEqual({ differing: 0, firstDifference: undefined });
    expect(withErrors).toBeGreaterThan(1000); // the corruptions reach the checks
  });

  test('same as Apollo on the region capacity query over the supergraph’s API schema', () => {
    const apiSchema = Supergraph.build(readFileSync(SCHEMA_FILES.supergraph, 'utf8')).apiSchema();
    const query = '{ region { municipalities { code housingUnits { id kind places freePlaces(from: "2026-12-01", to: "2026-12-15") } } } }';
    const input = {
      region: {
        __typename: 'Region',
        municipalities: ['0126', '0127'].map((code) => ({
          __typename: 'Municipality',
          code,
          housingUnits: [0, 1, 2].map((i) => ({
            __typename: 'HousingUnit',
            id: `${code}-${i}`,
            kind: 'PROTECTED',
            places: 2,
            freePlaces: i,
            municipalityCode: code,
          })),
        })),
      },
    };
    const c: Case = { name: 'region', query, input };
    const operation = parseOperation(apiSchema, query);
    const expected = outcome(apollo, c, operation);
    expect(expected).toMatchObject({ errors: [] });
    expect(outcome(computeResponse, c, operation)).toEqual(expected);
  });

  test('installing it puts it where Apollo’s query plan executor calls it', () => {
    expect(installCompiledResultShaping()).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const apolloModule = require(require.resolve('@apollo/gateway/dist/resultShaping', { paths: [require.resolve('@apollo/gateway')] })) as {
      computeResponse: unknown;
    };
    expect(apolloModule.computeResponse).toBe(computeResponse);
  });
});
