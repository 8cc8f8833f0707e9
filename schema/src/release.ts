import { copyFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCHEMA_FILES } from './files';
import { PLANNED_BREAKS_FILE, RELEASED_DIR, SCHEMA_NAMES } from './schema-diff';

/**
 * `npm run schema:release`: the current snapshots become the released ones the schema diff
 * test compares against, and the planned breaks they contain are done, so the list empties.
 * Run it when a version is tagged for deployment, not on every change.
 */
for (const name of SCHEMA_NAMES) {
  copyFileSync(SCHEMA_FILES[name], resolve(RELEASED_DIR, `${name}.graphql`));
  console.log(`released schema/${name}.graphql`);
}
writeFileSync(PLANNED_BREAKS_FILE, '[]\n');
console.log('emptied schema/planned-breaks.json');
