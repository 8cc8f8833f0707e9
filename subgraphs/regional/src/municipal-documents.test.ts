import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { MUNICIPALITY_SDL_FILE } from './config';
import { availableUnitsDocument, MunicipalDocuments } from './municipal-documents';

// The committed municipal subgraph SDL, as a deployment serves it, with what federation adds (_entities, _Any).
const schema = buildSubgraphSchema(parse(readFileSync(MUNICIPALITY_SDL_FILE, 'utf8')));

describe('every document the region sends to a shard', () => {
  it.each(Object.entries(MunicipalDocuments))('%s is valid against schema/municipality.graphql', (name, document) => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.map((o) => o.name?.value)).toEqual([name]);
  });

  it.each([1, 2, 3, 4])('the available units over %i periods are valid', (pieces) => {
    expect(validate(schema, availableUnitsDocument(pieces)).map((e) => e.message)).toEqual([]);
  });

  it('would catch a field the shards do not have', () => {
    expect(validate(schema, parse('query Broken { myMunicipality { housingUnits { noSuchField } } }'))).not.toEqual([]);
  });
});
