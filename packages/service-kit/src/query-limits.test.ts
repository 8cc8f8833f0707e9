import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { postGraphQL } from '@sodertorn/testing';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLFieldConfigMap } from 'graphql';
import { ConfigError } from './config';
import { createGraphQLServer } from './graphql-server';
import { createHttpApp, listen, type Listening } from './http-app';
import { createLogger } from './logger';
import { DEFAULT_QUERY_LIMITS, parseQueryLimitsEnv } from './query-limits';

/** A schema that counts its resolver calls: `node { child { child … } }`, `name` on every level. */
function countingSchema(calls: { n: number }): GraphQLSchema {
  const Node: GraphQLObjectType = new GraphQLObjectType({
    name: 'Node',
    fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
      name: { type: GraphQLString, resolve: () => (calls.n++, 'n') },
      child: { type: Node, resolve: () => (calls.n++, {}) },
    }),
  });
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { node: { type: Node, resolve: () => (calls.n++, {}) } } }) });
}

const LIMITS = { maxDepth: 4, maxCost: 200, maxAliases: 3, maxTokens: 60 };

describe('parseQueryLimitsEnv', () => {
  it('reads MAX_DEPTH, MAX_COST, MAX_ALIASES and MAX_TOKENS, each defaulting to the limit every service applies', () => {
    expect(parseQueryLimitsEnv('test', {})).toEqual({ maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxTokens: 2_000 });
    expect(DEFAULT_QUERY_LIMITS).toEqual({ maxDepth: 10, maxCost: 20_000, maxAliases: 15, maxTokens: 2_000 });
    expect(parseQueryLimitsEnv('test', { MAX_DEPTH: '12', MAX_COST: '5000', MAX_ALIASES: '30', MAX_TOKENS: '4000' })).toEqual({
      maxDepth: 12,
      maxCost: 5_000,
      maxAliases: 30,
      maxTokens: 4_000,
    });
  });

  it('refuses a limit that is not a positive whole number, naming the variable', () => {
    expect(() => parseQueryLimitsEnv('test', { MAX_ALIASES: '0', MAX_DEPTH: 'deep' })).toThrow(ConfigError);
    expect(() => parseQueryLimitsEnv('test', { MAX_ALIASES: '0', MAX_DEPTH: 'deep' })).toThrow(
      /MAX_DEPTH: must be a positive whole number[\s\S]*MAX_ALIASES: must be a positive whole number/,
    );
  });
});

describe('queryLimits in createGraphQLServer: bombs are refused with 400 before any resolver runs', () => {
  const calls = { n: 0 };
  let server: Listening & { stop(): Promise<void> };

  async function start(extraPlugins: ApolloServerPlugin<BaseContext>[] = []) {
    const apollo = createGraphQLServer<BaseContext>({
      schema: countingSchema(calls),
      logger: createLogger('test', 'silent'),
      plugins: extraPlugins,
      limits: LIMITS,
    });
    await apollo.start();
    const listening = await listen(createHttpApp<BaseContext>({ apollo, logger: createLogger('test', 'silent'), context: async () => ({}) }), 0);
    return { ...listening, stop: async () => (await listening.close(), await apollo.stop()) };
  }

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    calls.n = 0;
  });

  it('executes an operation within every limit', async () => {
    const result = await postGraphQL(server.url, `{ node { child { child { name } } } }`);
    expect(result).toMatchObject({ status: 200, data: { node: { child: { child: { name: 'n' } } } } });
    expect(calls.n).toBe(4);
  });

  it.each([
    ['depth', `{ node { child { child { child { child { name } } } } } }`, 'GRAPHQL_VALIDATION_FAILED', /depth limit of 4 exceeded/],
    ['aliases', `{ a: node { name } b: node { name } c: node { name } d: node { name } }`, 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 3 exceeded/],
    ['cost', `{ node { ${'...A '.repeat(14)}} } fragment A on Node { name name name }`, 'GRAPHQL_VALIDATION_FAILED', /Cost limit of 200 exceeded/],
    ['tokens', `{ node { ${'name '.repeat(70)}} }`, 'GRAPHQL_PARSE_FAILED', /Token limit of 60 exceeded/],
  ])('%s', async (_limit, query, code, message) => {
    const result = await postGraphQL(server.url, query);
    expect(result.status).toBe(400);
    expect(result).not.toHaveProperty('data');
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code } }]);
    expect(calls.n).toBe(0);
  });

  it("keeps another plugin's unexpected error a masked 500 (graphql-armor's own hook would answer with its message)", async () => {
    const failing = await start([
      {
        async requestDidStart() {
          return {
            async parsingDidStart() {
              throw new Error('secret detail of an internal failure');
            },
          };
        },
      },
    ]);
    try {
      const result = await postGraphQL(failing.url, `{ node { name } }`);
      expect(result.status).toBe(500);
      expect(JSON.stringify(result)).not.toContain('secret detail');
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    } finally {
      await failing.stop();
    }
  });
});
