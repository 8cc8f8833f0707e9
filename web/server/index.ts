export { createWebServer, type WebServerOptions } from './web-server';
export { OidcSessions, type OidcSignIn, type Organisation } from './oidc-sign-in';
export { SessionStore, tokenExpiry, type Session, type SessionUser } from './sessions';
export { loadPersistedOperations, type PersistedOperation } from './persisted-operations';
export { loadWebConfig, type WebConfig } from './config';

import { resolve } from 'node:path';
/** Where `npm run build` leaves the app and its manifest. */
export const WEB_BUILD = {
  staticDir: resolve(__dirname, '../dist'),
  persistedOperationsFile: resolve(__dirname, '../persisted-operations.json'),
};
