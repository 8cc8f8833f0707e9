import type { ApolloServer, BaseContext } from '@apollo/server';
import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, type FormattedExecutionResult } from 'graphql';
import pino from 'pino';
import { NotFoundError, ValidationFailedError } from './errors';
import { createGraphQLServer } from './graphql-server';

const PNR = '19900101-1234';

const Person = new GraphQLObjectType({
  name: 'Person',
  fields: {
    name: { type: GraphQLString, resolve: () => 'Test Testsson' },
    pnr: {
      type: GraphQLString,
      resolve: () => {
        throw new Error(`duplicate key value violates unique constraint: Key (personal_identity_number)=(${PNR}) already exists.`);
      },
    },
  },
});

/** A tiny schema whose resolvers fail in every way a real one can. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      fine: { type: GraphQLString, resolve: () => 'fine' },
      crash: {
        type: GraphQLString,
        resolve: () => {
          throw new Error(`insert failed for ${PNR}`);
        },
      },
      crashAsync: { type: GraphQLString, resolve: async () => Promise.reject(new TypeError(`cannot read ${PNR}`)) },
      privateCode: {
        type: GraphQLString,
        resolve: () => {
          throw new GraphQLError(`row ${PNR} is locked`, { extensions: { code: 'DATABASE_LOCKED', row: PNR } });
        },
      },
      invalid: {
        type: GraphQLString,
        resolve: () => {
          throw ValidationFailedError.of('places', 'must be at least 1');
        },
      },
      missing: {
        type: GraphQLString,
        resolve: () => {
          throw new NotFoundError('Housing unit', 'abc');
        },
      },
      person: { type: Person, resolve: () => ({}) },
    },
  }),
});

describe('createGraphQLServer', () => {
  const logLines: string[] = [];
  let server: ApolloServer<BaseContext>;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    server = createGraphQLServer<BaseContext>({ schema, logger });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  async function run(query: string): Promise<FormattedExecutionResult> {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  it('tells every answer, with or without errors, not to be stored (cache-control: no-store)', async () => {
    for (const query of ['{ fine }', '{ fine person { name pnr } }']) {
      const response = await server.executeOperation({ query });
      expect(response.http.headers.get('cache-control')).toBe('no-store');
    }
  });

  describe('masking unexpected errors', () => {
    it.each(['crash', 'crashAsync', 'privateCode'])('turns an error thrown by %s into INTERNAL_SERVER_ERROR without its text', async (field) => {
      const result = await run(`{ ${field} }`);
      expect(result.data).toEqual({ [field]: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: [field], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(Object.keys(result.errors![0]!.extensions!)).toEqual(['code']);
      expect(JSON.stringify(result)).not.toContain(PNR);
      expect(JSON.stringify(result)).not.toContain('19900101');
    });

    it('masks an error deep in the result, keeping its path and the data beside it', async () => {
      const result = await run(`{ fine person { name pnr } }`);
      expect(result.data).toEqual({ fine: 'fine', person: { name: 'Test Testsson', pnr: null } });
      expect(result.errors![0]).toMatchObject({ path: ['person', 'pnr'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(result)).not.toContain(PNR);
    });

    it('logs the error class and path, never the message text', async () => {
      await run(`{ crash }`);
      const logged = logLines.join('\n');
      expect(logged).toContain('unexpected error in resolver');
      expect(logged).toContain('"errorClass":"Error"');
      expect(logged).not.toContain(PNR);
      expect(logged).not.toContain('insert failed');
    });

    it('sends no stack trace', async () => {
      const result = await run(`{ crash }`);
      expect(JSON.stringify(result)).not.toMatch(/stacktrace|graphql-server\.test/);
    });
  });

  describe('public errors', () => {
    it('passes VALIDATION_FAILED through with its message and fields', async () => {
      const result = await run(`{ invalid }`);
      expect(result.errors![0]).toMatchObject({
        message: 'Invalid input, nothing was saved. places: must be at least 1',
        extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'places', message: 'must be at least 1' }] },
      });
      expect(logLines.join('\n')).not.toContain('unexpected error in resolver');
    });

    it('passes NOT_FOUND through with its message', async () => {
      const result = await run(`{ missing }`);
      expect(result.errors![0]).toMatchObject({ message: expect.stringContaining('Housing unit abc was not found'), extensions: { code: 'NOT_FOUND' } });
    });

    it('passes a query validation error through, naming the unknown field', async () => {
      const result = await run(`{ nope }`);
      expect(result.errors![0]).toMatchObject({ message: expect.stringContaining('nope'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    });
  });

  describe('introspection', () => {
    it('is refused unless asked for', async () => {
      const result = await run(`{ __schema { types { name } } }`);
      expect(result.data).toBeUndefined();
      expect(result.errors![0]!.message).toMatch(/introspection/i);
    });

    it('is answered when enabled', async () => {
      const open = createGraphQLServer<BaseContext>({ schema, logger: pino({ level: 'silent' }), introspection: true });
      const response = await open.executeOperation({ query: `{ __schema { queryType { name } } }` });
      await open.stop();
      expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });
  });
});
