export { adminDatabaseUrl, createTestDatabase, createTestRuntimeRole, waitUntilBlocked, type SqlClient, type TestDatabase } from './test-database';
export { postGraphQL, type GraphQLResponseBody } from './graphql-post';
export { testIssuer, testVerifierOptions, tokenFor, bearer, Role } from './test-tokens';
export { syntheticPersonnummer } from './personnummer';
export { WHO_MAY, FIELD_KINDS, kindOf, tableAllows, conditionalRoles, type Kind, type Reach, type Subgraph, type TableCaller } from './role-table';
export { prng } from './prng';
export { DevCertificateAuthority, type IssuedCertificate, type IssueOptions } from './dev-pki';
export { writeRegionPki, DEV_IDENTITIES, type RegionPkiFiles, type ServiceCertificateFiles } from './region-pki';
export { callAsRegionService, regionServiceAgent } from './region-tls';
