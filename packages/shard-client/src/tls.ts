import type { PeerCertificate } from 'node:tls';
import { buildConnector } from 'undici';

/**
 * How a caller secures its connections to one municipality's deployment (or to
 * the regional subgraph; an `https:` URL): the trust anchors of that municipality (`ca`, each kommun may
 * run its own CA), the caller's own client certificate for mutual TLS (`cert`
 * and `key`, PEM), the name to send and expect (`servername`) and an identity
 * check of the server certificate beyond its chain (`checkServerIdentity`, e.g.
 * an expected SAN from the member registry). Without `ca`, Node's default
 * trust store is used; without `cert`/`key` no client certificate is sent.
 */
export interface ShardTlsOptions {
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
  checkServerIdentity?: (hostname: string, certificate: PeerCertificate) => Error | undefined;
}

/**
 * The options themselves, or a function giving the current ones: it is called for
 * every new connection, so certificates reloaded from disk (or on SIGHUP) are used
 * from the next connection on without a restart. Return the same object while
 * nothing changed: a new object builds a new connector (and TLS session cache).
 */
export type TlsSource = ShardTlsOptions | (() => ShardTlsOptions);

/** undici's connect function for a pool whose connections follow `tls` (defaults when absent). */
export function tlsConnector(tls: TlsSource | undefined): buildConnector.connector {
  let current: ShardTlsOptions | undefined;
  let connector: buildConnector.connector | undefined;
  return (options, callback) => {
    const wanted = (typeof tls === 'function' ? tls() : tls) ?? {};
    if (!connector || wanted !== current) {
      current = wanted;
      connector = buildConnector({ ...wanted });
    }
    return connector(options, callback);
  };
}
