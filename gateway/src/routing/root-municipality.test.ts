import { Kind, OperationTypeNode, parse, type DocumentNode } from 'graphql';
import { routeRootOperation, type RootRouting } from './root-municipality';

function route(query: string, variables?: Record<string, unknown>): RootRouting {
  return routeRootOperation(parse(query), variables);
}

describe('routeRootOperation', () => {
  describe('entity fetches', () => {
    it.each([
      ['the planner’s _entities fetch', 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id } } }'],
      ['_entities after __typename', 'query($r: [_Any!]!) { __typename _entities(representations: $r) { __typename } }'],
      ['an aliased _entities', 'query($r: [_Any!]!) { e: _entities(representations: $r) { __typename } }'],
    ])('recognises %s', (_name, query) => {
      expect(route(query, { representations: [] })).toEqual({ kind: 'entities' });
    });
  });

  describe('one municipality', () => {
    it.each<[string, string, Record<string, unknown> | undefined, string]>([
      ['a literal argument', '{ person(municipalityCode: "0126", id: "1") { id } }', undefined, '0126'],
      ['an int literal (an ID the planner printed bare)', '{ person(municipalityCode: 9999) { id } }', undefined, '9999'],
      ['a variable argument', 'query($m: String!) { person(municipalityCode: $m, id: "1") { id } }', { m: '0127' }, '0127'],
      [
        'several fields naming the same one',
        'query($m: String!) { a: person(municipalityCode: $m) { id } b: cases(municipalityCode: "0128") { id } }',
        { m: '0128' },
        '0128',
      ],
      ['__typename beside the field', '{ __typename person(municipalityCode: "0126") { id } __typename }', undefined, '0126'],
    ])('routes %s to its municipality', (_name, query, variables, code) => {
      expect(route(query, variables)).toEqual({ kind: 'municipality', code, operation: 'query' });
    });

    it.each([
      ['mutation', 'mutation($m: String!) { registerCase(municipalityCode: $m, title: "x") { id } }'],
      ['subscription', 'subscription { caseChanged(municipalityCode: "0127") { id } }'],
    ] as const)('reports the operation type: %s', (operation, query) => {
      expect(route(query, { m: '0127' })).toEqual({ kind: 'municipality', code: '0127', operation });
    });

    it('routes a field whose node has no arguments list (optional in the AST, as built by hand) to the caller’s own', () => {
      const document: DocumentNode = {
        kind: Kind.DOCUMENT,
        definitions: [
          {
            kind: Kind.OPERATION_DEFINITION,
            operation: OperationTypeNode.QUERY,
            selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'myMunicipality' } }] },
          },
        ],
      };
      expect(routeRootOperation(document, undefined, '0126')).toEqual({ kind: 'municipality', code: '0126', operation: 'query' });
    });

    it('uses the first operation of the document', () => {
      const document = 'mutation A { x(municipalityCode: "0126") } query B { y(municipalityCode: "0127") }';
      expect(route(document)).toEqual({ kind: 'municipality', code: '0126', operation: 'mutation' });
    });
  });

  describe('no municipality named', () => {
    it.each<[string, string, Record<string, unknown> | undefined, string]>([
      ['no argument', '{ person(id: "1") { id } }', undefined, 'person is a municipal field'],
      ['an unset variable', 'query($m: String) { person(municipalityCode: $m) { id } }', {}, 'person is a municipal field'],
      ['no variables at all', 'query($m: String) { person(municipalityCode: $m) { id } }', undefined, 'person is a municipal field'],
      ['a non-string variable', 'query($m: Int) { person(municipalityCode: $m) { id } }', { m: 126 }, 'person is a municipal field'],
      ['a float literal', '{ person(municipalityCode: 126.5) { id } }', undefined, 'person is a municipal field'],
      ['a boolean literal', '{ person(municipalityCode: true) { id } }', undefined, 'person is a municipal field'],
      ['a null literal', '{ person(municipalityCode: null) { id } }', undefined, 'person is a municipal field'],
      ['an enum literal', '{ person(municipalityCode: SODERTALJE) { id } }', undefined, 'person is a municipal field'],
      ['one field of two without it', '{ a: person(municipalityCode: "0126") { id } cases { id } }', undefined, 'cases is a municipal field'],
      ['only __typename', '{ __typename }', undefined, 'No municipal root field names a municipality.'],
      ['only an inline fragment', '{ ... on Query { person(municipalityCode: "0126") { id } } }', undefined, 'No municipal root field names a municipality.'],
      ['no operation', 'fragment F on Query { __typename }', undefined, 'The fetch holds no operation.'],
    ])('refuses %s with MUNICIPALITY_REQUIRED', (_name, query, variables, message) => {
      const routing = route(query, variables);
      expect(routing).toEqual({ kind: 'error', code: 'MUNICIPALITY_REQUIRED', message: expect.stringContaining(message) });
    });
  });

  describe('several municipalities named', () => {
    it.each<[string, string, Record<string, unknown> | undefined, string]>([
      ['two literals', '{ a: person(municipalityCode: "0127") { id } b: person(municipalityCode: "0126") { id } }', undefined, '0126, 0127'],
      [
        'a literal and a variable',
        'query($m: String!) { a: person(municipalityCode: "0128") { id } b: cases(municipalityCode: $m) { id } }',
        { m: '0126' },
        '0126, 0128',
      ],
      [
        'a mutation over three',
        'mutation { a: x(municipalityCode: "0128") b: x(municipalityCode: "0127") c: x(municipalityCode: "0126") }',
        undefined,
        '0126, 0127, 0128',
      ],
    ])('refuses %s with MUNICIPALITIES_DIFFER, listing the codes sorted', (_name, query, variables, listed) => {
      const routing = route(query, variables);
      expect(routing).toEqual({ kind: 'error', code: 'MUNICIPALITIES_DIFFER', message: expect.stringContaining(`(${listed})`) });
    });
  });
});
