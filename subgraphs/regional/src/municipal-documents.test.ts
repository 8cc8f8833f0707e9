import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
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

describe('the generated result types (scripts/codegen.mjs, run by npm run typecheck)', () => {
  const script = resolve(__dirname, '../scripts/codegen.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'regional-codegen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const codegen = (schemaFile: string, out: string) => promisify(execFile)(process.execPath, [script, schemaFile, out]);

  it('types every document by its key, with its result and variables', async () => {
    const out = join(dir, 'ok.ts');
    await codegen(MUNICIPALITY_SDL_FILE, out);
    const generated = readFileSync(out, 'utf8');
    expect(generated).toContain('export type LookUpRequestQuery = { _entities: Array<');
    expect(generated).toMatch(/export type HoldPlacesMutation = \{ holdPlaces: \{ id: string, status: BookingStatus, placementId: string \| null, /);
    for (const name of Object.keys(MunicipalDocuments))
      expect(generated).toMatch(new RegExp(`^  ${name}: \\[${name}(Query|Mutation), ${name}\\1Variables\\];$`, 'm'));
  });

  it('fails, naming the document and the field, when the schema no longer has what a document asks for', async () => {
    const broken = join(dir, 'broken.graphql');
    const sdl = readFileSync(MUNICIPALITY_SDL_FILE, 'utf8');
    expect(sdl).toMatch(/^ {2}waitingDays: Int!$/m);
    writeFileSync(broken, sdl.replace(/^ {2}waitingDays: Int!$/m, '  waitingDaysRenamed: Int!'));
    await expect(codegen(broken, join(dir, 'broken.ts'))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('MunicipalDocuments.LookUpRequest: Cannot query field "waitingDays" on type "PlacementRequest".'),
    });
  });
});
