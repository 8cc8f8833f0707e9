export * from './errors';
export { createLogger, type Logger } from './logger';
export { parseEnv, readSettingFile, env, ConfigError, z } from './config';
export { runMigrateCommand, type MigrateDatabase } from './migrate-command';
export { loadRegistry, parseUrlOverrides, DEFAULT_REGISTRY_FILE, type MunicipalityEntry } from './registry';
export { buildFederatedSchema, type ReferenceResolvers } from './federated-schema';
export { createGraphQLServer, type GraphQLServerOptions } from './graphql-server';
export { DEFAULT_QUERY_LIMITS, parseQueryLimitsEnv, type QueryLimits } from './query-limits';
export { createHttpApp, listen, mountProbes, type HttpAppOptions, type Listening, type DrainSettings, type DrainReport } from './http-app';
export { processMetrics } from './process-metrics';
export { parseDrainEnv } from './drain-config';
export { runUntilStopped, drainBound, type Started } from './lifecycle';
export { todayInStockholm, addDays } from './today';
export {
  assertDate,
  assertPeriod,
  assertYear,
  yearProblem,
  dateProblem,
  daysBetween,
  latestDate,
  periodProblems,
  EARLIEST_BIRTH_DATE,
  EARLIEST_DATE,
  MAX_PERIOD_DAYS,
  YEARS_AHEAD,
  type DateArgument,
} from './date-rules';
export { refuseControlCharacters, CONTROL_CHARACTER_MESSAGE } from './plain-text.middleware';
export { safeOperationName } from './operation-name';
export { isUuid, purposeFrom, requestIdFrom } from './request-headers';
export { holdsPersonalIdentityNumber, luhnValid } from './personal-identity-number';
export {
  authorize,
  enforcePolicy,
  fieldsWithoutRule,
  isAllowed,
  onlyIf,
  own,
  anywhere,
  sameRule,
  type Policy,
  type FieldRule,
  type Grant,
  type GrantCondition,
  type Scope,
  type AuthorizationContext,
} from './authorization';
export { parseAuthEnv, readTrustedIssuers, type AuthSettings } from './auth-config';
export { reloadRevokedClients } from './revoked-clients';
export { WatchedFiles, type WatchedFilesMessages } from './watched-files';
export { parseServiceCredentialsEnv } from './service-credentials';
export { isSchemaOnlyRequest } from './schema-request';
export { signWebhook, verifyWebhook, WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS, type WebhookToVerify, type WebhookVerdict } from './webhook-signature';
export { parseTransportEnv, type TransportConfig, type TransportEnv, type ClientCertificateConfig } from './tls/transport-config';
export { ServiceTls } from './tls/service-tls';
export { PeerConnection, type PeerTrust, type PeerTlsOptions, IDLE_SOCKET_MS, MIN_TLS_VERSION } from './tls/peer-connection';
export { WatchedCertificates, EXPIRY_WARNING_DAYS, type KeyPair, type CertificateSet } from './tls/certificate-files';
export { registerCertificateExpiry, certificateExpiryRegistry } from './tls/expiry-gauge';
export { runtimeGrants, pendingMigrationsMessage } from './database-roles';
