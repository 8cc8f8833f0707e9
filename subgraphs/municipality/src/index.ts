export { createMunicipalityServer, type MunicipalityServer, type MunicipalityServerOptions } from './server';
export { buildMunicipalitySchema } from './schema';
export { openMunicipalityDatabase, municipalityOrmConfig, migrateMunicipalityDatabase, connectMunicipalityDatabase } from './database/orm';
export { seedDemoMunicipality, type DemoSeedOptions } from './demo/seed';
export { loadMunicipalityConfig } from './config';
export { encodeStatisticsPublicKey, formatStatisticsPublicKeys, generateStatisticsKeyPair, readStatisticsPrivateKey } from './statistics/pairwise-seeds';
export { municipalityPolicy } from './access-policy';
export { verifyAuditLogAt, type AuditVerification } from './audit/verify-database';
