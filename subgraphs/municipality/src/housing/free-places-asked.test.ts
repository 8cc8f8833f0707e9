import { buildSchema, Kind, parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { freePlacesPeriodAsked } from './free-places-asked';

const schema = buildSchema(`
  scalar LocalDate
  type HousingUnit { id: ID! freePlaces(from: LocalDate!, to: LocalDate!): Int }
  type Municipality { housingUnits: [HousingUnit!] }
  type Query { myMunicipality: Municipality }
`);

/** What a resolver of `housingUnits` is given for this document (only what freePlacesPeriodAsked reads). */
function infoFor(document: string, variableValues: Record<string, unknown> = {}): GraphQLResolveInfo {
  const definitions = parse(document).definitions;
  const operation = definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const municipality = operation.selectionSet.selections[0]!;
  if (municipality.kind !== Kind.FIELD) throw new Error('the document must start with myMunicipality');
  const housingUnits = municipality.selectionSet!.selections.filter((s) => s.kind === Kind.FIELD);
  return { schema, fragments, variableValues, fieldNodes: housingUnits } as unknown as GraphQLResolveInfo;
}

const from = addDays(todayInStockholm(), 10);
const to = addDays(from, 14);

describe('freePlacesPeriodAsked', () => {
  it('finds the one period of a literal freePlaces', () => {
    expect(freePlacesPeriodAsked(infoFor(`{ myMunicipality { housingUnits { id freePlaces(from: "${from}", to: "${to}") } } }`))).toEqual({ from, to });
  });

  it('finds it through variables, inline fragments and fragment spreads, the same period twice counting once', () => {
    const info = infoFor(
      `query($f: LocalDate!, $t: LocalDate!) { myMunicipality { housingUnits { ...free ... on HousingUnit { again: freePlaces(from: $f, to: $t) } } } }
       fragment free on HousingUnit { freePlaces(from: $f, to: $t) }`,
      { f: from, t: to },
    );
    expect(freePlacesPeriodAsked(info)).toEqual({ from, to });
  });

  it.each([
    ['no freePlaces', `{ myMunicipality { housingUnits { id } } }`],
    [
      'two periods',
      `{ myMunicipality { housingUnits { a: freePlaces(from: "${from}", to: "${to}") b: freePlaces(from: "${from}", to: "${addDays(to, 1)}") } } }`,
    ],
    ['`to` before `from`', `{ myMunicipality { housingUnits { freePlaces(from: "${to}", to: "${from}") } } }`],
    ['a period over 731 days', `{ myMunicipality { housingUnits { freePlaces(from: "${from}", to: "${addDays(from, 732)}") } } }`],
    ['a variable without a value', `query($t: LocalDate!) { myMunicipality { housingUnits { freePlaces(from: "${from}", to: $t) } } }`],
  ])('gives nothing for %s: each unit is then resolved, or refused, on its own', (_case, document) => {
    expect(freePlacesPeriodAsked(infoFor(document))).toBeUndefined();
  });
});
