import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from './compose-supergraph';
import { SCHEMA_FILES } from './files';

/** `npm run compose`: regenerates the committed subgraph SDL snapshots and the supergraph. */
async function main(): Promise<void> {
  const composed = await composeSupergraph();
  for (const key of ['municipality', 'regional', 'supergraph'] as const) {
    writeFileSync(SCHEMA_FILES[key], composed[key].endsWith('\n') ? composed[key] : `${composed[key]}\n`);
    console.log(`wrote ${relative(process.cwd(), SCHEMA_FILES[key])}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
