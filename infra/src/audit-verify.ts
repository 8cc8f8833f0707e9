import { verifyAuditLogAt } from '@sodertorn/municipality';
import { redactUrl } from '@sodertorn/postgres';
import { parseArgs } from 'node:util';
import { readRegionFile } from './region-file';

/**
 * `npm run audit:verify` checks the hash chain of municipal audit logs and
 * exits 1 if any row was edited, removed or reordered.
 *
 *   npm run audit:verify                               every municipality of the running `npm start` region
 *   npm run audit:verify -- --database-url postgres://…  one municipality's database (repeatable)
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'database-url': { type: 'string', multiple: true } } });
  const targets = values['database-url']?.length
    ? Object.fromEntries(values['database-url'].map((url) => [redactUrl(url), url]))
    : Object.fromEntries(Object.entries(readRegionFile()?.databaseUrls ?? {}).filter(([service]) => service !== 'regional'));
  if (!Object.keys(targets).length) {
    throw new Error('no database to verify: start the region with `npm start`, or pass --database-url postgres://…');
  }
  let broken = 0;
  for (const [name, url] of Object.entries(targets)) {
    const { rows, problems } = await verifyAuditLogAt(url);
    if (problems.length === 0) {
      console.log(`${name}: ${rows} rows, chain intact`);
      continue;
    }
    broken += 1;
    console.log(`${name}: ${rows} rows, CHAIN BROKEN`);
    for (const { seq, problem } of problems) console.log(`  row ${seq}: ${problem}`);
  }
  if (broken) {
    console.log(`\n${broken} audit log(s) failed verification.`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(`npm run audit:verify: ${(error as Error).message}`);
  process.exit(2);
});
