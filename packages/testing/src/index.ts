export { adminDatabaseUrl, createTestDatabase, type TestDatabase } from './test-database';
export { postGraphQL, type GraphQLResponseBody } from './graphql-post';
export { testIssuer, testVerifierOptions, tokenFor, bearer, Role } from './test-tokens';
export { syntheticPersonnummer } from './personnummer';
