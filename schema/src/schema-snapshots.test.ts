import { readFileSync } from 'node:fs';
import { composeSupergraph } from './compose-supergraph';
import { SCHEMA_FILES } from './files';

describe('Committed schema snapshots', () => {
  it.each(['municipality', 'regional', 'supergraph'] as const)(
    'schema/%s.graphql equals what the code produces (run `npm run compose` if not)',
    async (name) => {
      const composed = await composeSupergraph();
      const committed = readFileSync(SCHEMA_FILES[name], 'utf8');
      expect(committed.trimEnd()).toEqual(composed[name].trimEnd());
    },
  );

  it('keeps Participant out of the federation: no @key, so no subgraph can fetch it by reference', async () => {
    const { municipality, supergraph } = await composeSupergraph();
    expect(municipality).toMatch(/type Participant \{/);
    expect(supergraph).toMatch(/type Participant\s+@join__type\(graph: MUNICIPALITY\)\s*\{/);
    expect(supergraph).not.toMatch(/type Participant[^{]*@key/);
  });
});
