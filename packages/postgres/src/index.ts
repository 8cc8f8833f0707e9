export { findFreePort, preferredOrFreePort } from './free-port';
export { withDatabase, redactUrl } from './connection-url';
export { provisionServiceDatabase, dropServiceDatabase, type ServiceDatabase } from './provision';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './embedded';
export { provisionRuntimeRole, dropRuntimeRole } from './runtime-role';
