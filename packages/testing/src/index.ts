export { adminDatabaseUrl, createTestDatabase, type TestDatabase } from './test-database';
export { postGraphQL, type GraphQLResponseBody } from './graphql-post';
