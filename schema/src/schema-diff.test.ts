import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCHEMA_FILES } from './files';
import { breakingChanges, plans, readPlannedBreaks, RELEASED_DIR, SCHEMA_NAMES, type BreakingChange } from './schema-diff';

const read = (file: string) => readFileSync(file, 'utf8');

describe('Schema diff against the last released snapshots (schema/released/)', () => {
  const planned = readPlannedBreaks();

  it.each(SCHEMA_NAMES)('schema/%s.graphql breaks nothing that schema/planned-breaks.json does not name', async (name) => {
    const breaking = await breakingChanges(name, read(resolve(RELEASED_DIR, `${name}.graphql`)), read(SCHEMA_FILES[name]));
    const unplanned = breaking.filter((change) => !planned.some((entry) => plans(entry, change)));
    // On failure: make the change additive (see docs/upgrades-and-keys.md), or name it in schema/planned-breaks.json.
    expect(unplanned).toEqual([]);
  });

  it('names no planned break that is not (or no longer) made: a stale entry would let a later break through', async () => {
    const breaking: BreakingChange[] = [];
    for (const name of SCHEMA_NAMES) breaking.push(...(await breakingChanges(name, read(resolve(RELEASED_DIR, `${name}.graphql`)), read(SCHEMA_FILES[name]))));
    expect(planned.filter((entry) => !breaking.some((change) => plans(entry, change)))).toEqual([]);
  });

  it('finds the breaks it is there to find, and lets additions through', async () => {
    const municipality = read(SCHEMA_FILES.municipality);
    const removed = municipality.replace(/^\s*auditLog\(/m, '  auditLogRenamed(');
    expect(await breakingChanges('municipality', municipality, removed)).toContainEqual(
      expect.objectContaining({ schema: 'municipality', path: 'Query.auditLog', type: 'FIELD_REMOVED' }),
    );
    const required = municipality.replace(/^\s*auditLog\(/m, '  auditLog(\n    mustSay: String!\n');
    expect(await breakingChanges('municipality', municipality, required)).toContainEqual(
      expect.objectContaining({ path: 'Query.auditLog.mustSay', type: 'FIELD_ARGUMENT_ADDED' }),
    );
    const added = municipality.replace(/^type Query \{/m, 'type Query {\n  releaseNotes(language: String): [String!]');
    expect(await breakingChanges('municipality', municipality, added)).toEqual([]);
  });

  it('reads the supergraph as its API schema: a field removed from it is a break for clients', async () => {
    const supergraph = read(SCHEMA_FILES.supergraph);
    const field = /^\s+(auditLog)\(/m.exec(supergraph);
    expect(field).not.toBeNull();
    const removed = supergraph.replace(/^(\s+)auditLog\(/m, '$1auditLogRenamed(');
    expect(await breakingChanges('supergraph', supergraph, removed)).toContainEqual(expect.objectContaining({ path: 'Query.auditLog', type: 'FIELD_REMOVED' }));
  });

  it('accepts a planned break only by schema, path and change type together', () => {
    const change: BreakingChange = { schema: 'regional', path: 'Query.x', type: 'FIELD_REMOVED', message: '' };
    expect(plans({ schema: 'regional', path: 'Query.x', type: 'FIELD_REMOVED', reason: 'r' }, change)).toBe(true);
    expect(plans({ schema: 'municipality', path: 'Query.x', type: 'FIELD_REMOVED', reason: 'r' }, change)).toBe(false);
    expect(plans({ schema: 'regional', path: 'Query.y', type: 'FIELD_REMOVED', reason: 'r' }, change)).toBe(false);
    expect(plans({ schema: 'regional', path: 'Query.x', type: 'FIELD_TYPE_CHANGED', reason: 'r' }, change)).toBe(false);
  });
});
