import type { TokenVerifier } from '@sodertorn/auth';
import { readTrustedIssuers, type AuthSettings } from './auth-config';
import type { Logger } from './logger';
import { WatchedFiles } from './watched-files';

/**
 * Withdrawing a client (a BI tool's, a leaked service's) must not wait for a restart of every
 * service: the `revokedClients` of AUTH_TRUSTED_ISSUERS_FILE are taken over whenever the file
 * changes (a ConfigMap update, a rewrite, a rename) or on SIGHUP, as the TLS files are. A file
 * that cannot be read or is invalid keeps the list in use and logs why. Any other change (a new
 * issuer, another audience or claim mapping) is not applied — trust is widened only by a restart —
 * and the log says a restart is needed.
 */
export function reloadRevokedClients(auth: AuthSettings, verifier: TokenVerifier, logger: Logger): { close(): void } {
  const file = auth.trustedIssuersFile;
  if (!file) return { close: () => undefined };
  const watched = new WatchedFiles('trusted issuers', [file], ([text]) => readTrustedIssuers(text!, file), logger, {
    reloaded: 'trusted issuers file changed; revoked clients taken over',
    failed: 'trusted issuers reload failed; the revoked clients in use are kept',
    watchFailed: 'trusted issuers file watch failed; SIGHUP still reloads',
    details: (issuers) => ({ revokedClients: issuers.reduce((sum, issuer) => sum + issuer.revokedClients.length, 0) }),
  });
  watched.onChange((issuers) => {
    const needRestart = verifier.updateRevokedClients(issuers);
    if (needRestart.length) logger.warn({ issuers: needRestart }, 'trusted issuers changed beyond revoked clients; restart the service to apply that');
  });
  return { close: () => watched.close() };
}
