// Types every operation of the web app from the API schema the gateway serves (built from the
// committed supergraph), with GraphQL Code Generator's client preset, and writes the persisted
// operation manifest the server and the gateway accept by id. A schema change that breaks an
// operation fails here, so it fails the build.
// (The codegen CLI is not used: its loaders need Node >= 22.15, and `npm ci` runs on Node 20.)
import { Supergraph } from '@apollo/federation-internals';
import { preset } from '@graphql-codegen/client-preset';
import { codegen } from '@graphql-codegen/core';
import { parse, printSchema, validate } from 'graphql';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const supergraph = readFileSync(join(web, '../schema/supergraph.graphql'), 'utf8');
const schemaAst = Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema();
const operationsDir = join(web, 'src/operations');
const documents = readdirSync(operationsDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .map((f) => {
    const rawSDL = readFileSync(join(operationsDir, f), 'utf8');
    return { location: join(operationsDir, f), rawSDL, document: parse(rawSDL) };
  });

const problems = documents.flatMap((d) => validate(schemaAst, d.document).map((e) => `${d.location}: ${e.message}`));
if (problems.length) {
  console.error(`The web app's operations do not fit the API schema:\n${problems.join('\n')}`);
  process.exit(1);
}

const outDir = join(web, 'src/gql/');
mkdirSync(outDir, { recursive: true });
const sections = await preset.buildGeneratesSection({
  baseOutputDir: outDir,
  schema: parse(printSchema(schemaAst)),
  schemaAst,
  documents,
  plugins: [],
  pluginMap: {},
  config: { useTypeImports: true, enumsAsTypes: true, scalars: { LocalDate: 'string', DateTime: 'string' } },
  presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: (operation) => createHash('sha256').update(operation).digest('hex') } },
});
for (const section of sections) {
  const output = await codegen({ ...section, filename: section.filename });
  writeFileSync(section.filename, output);
}
// The same operations in Apollo's persisted-query manifest format, for the web server and the
// gateway: each registered operation by id (the SHA-256 of its text), its name, type and text.
const hashes = JSON.parse(readFileSync(join(outDir, 'persisted-documents.json'), 'utf8'));
const operations = Object.entries(hashes).map(([id, body]) => {
  const definition = parse(body).definitions.find((d) => d.kind === 'OperationDefinition');
  return { id, name: definition.name.value, type: definition.operation, body };
});
writeFileSync(join(web, 'persisted-operations.json'), JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2) + '\n');
console.log(`typed ${documents.length} operation files into ${outDir}`);
