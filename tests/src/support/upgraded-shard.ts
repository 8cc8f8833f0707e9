import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The field the next release of the municipal subgraph adds: additive, so the gateway of this release still serves it. */
export const NEXT_RELEASE_FIELD = 'shardRelease';

const SCHEMA_MODULE = resolve(__dirname, '../../../subgraphs/municipality/dist/schema.js');
const GRAPHQL = require.resolve('graphql', { paths: [SCHEMA_MODULE] }); // the one the subgraph builds its schema with

/**
 * A test build of the municipal subgraph one release ahead, as a module preloaded into the
 * service's own command (`node -r <it> service.js municipality`): the schema it serves, and the
 * SDL it shows the gateway (`_service { sdl }`), have one field more, `Query.shardRelease`.
 * It replaces the schema module's exports in the require cache before the service loads it,
 * so everything else is the released code.
 */
const PRELOAD = `
const schemaModule = ${JSON.stringify(SCHEMA_MODULE)};
const released = require(schemaModule);
const { GraphQLString } = require(${JSON.stringify(GRAPHQL)});
require.cache[schemaModule].exports = {
  async buildMunicipalitySchema() {
    const schema = await released.buildMunicipalitySchema();
    const fields = schema.getQueryType().getFields();
    fields.${NEXT_RELEASE_FIELD} = {
      name: '${NEXT_RELEASE_FIELD}', description: 'The release this deployment runs', type: GraphQLString, args: [],
      resolve: () => 'next', extensions: {}, astNode: undefined, deprecationReason: undefined,
    };
    const service = fields._service;
    const serve = service.resolve;
    service.resolve = async (...args) => {
      const answer = await serve(...args);
      const sdl = answer.sdl.replace(/^type Query \\{/m, 'type Query {\\n  ${NEXT_RELEASE_FIELD}: String\\n');
      if (sdl === answer.sdl) throw new Error('the test build found no "type Query {" in its SDL');
      return { ...answer, sdl };
    };
    return schema;
  },
};
`;

/** Writes the preload module into `dir`; its path, for `node -r`. */
export function writeNextReleasePreload(dir: string): string {
  const file = join(dir, 'municipality-next-release.cjs');
  writeFileSync(file, PRELOAD);
  return file;
}
