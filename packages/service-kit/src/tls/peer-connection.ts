import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { KeyPair, WatchedCertificates } from './certificate-files';

/** How a caller recognises a peer's server certificate: its trust anchors and the identity it must name. */
export interface PeerTrust {
  /** The CA bundle (PEM file) of the peer's own PKI, e.g. the municipality's CA. */
  caFile: string;
  /** The DNS (or URI) subjectAltName the peer's certificate must carry, e.g. 0126.municipality.sodertorn.test. */
  identity: string;
}

/**
 * An idle socket is closed after 4 s (fetch's default when a server announces
 * no Keep-Alive timeout), so a call is not sent on a socket the server is
 * closing; idle sockets do not hold the process open.
 */
export const IDLE_SOCKET_MS = 4_000;

/** TLS 1.3 preferred (Node negotiates the highest both sides speak), 1.2 the least accepted. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/**
 * The connection pool to one peer. Over https the peer's certificate must chain
 * to its own trust anchors and name its expected identity — whatever host the
 * URL names — and this service presents its client certificate (mutual TLS).
 * When either side's files change, the next calls use a new pool; calls in
 * flight finish on the old one, whose idle sockets then close.
 */
/** The TLS options of connections to a peer, as node:tls (and undici's connector) take them. */
export interface PeerTlsOptions {
  ca: string;
  cert: string;
  key: string;
  minVersion: typeof MIN_TLS_VERSION;
  servername: string;
  checkServerIdentity: (host: string, certificate: PeerCertificate) => Error | undefined;
}

export class PeerConnection {
  private currentAgent: HttpAgent;
  private currentTlsOptions: PeerTlsOptions | undefined;

  constructor(
    readonly url: URL,
    private readonly tls?: { trust: WatchedCertificates<string>; identity: string; clientCertificate: WatchedCertificates<KeyPair> },
  ) {
    this.currentAgent = this.createAgent();
    tls?.trust.onChange(() => (this.currentAgent = this.createAgent()));
    tls?.clientCertificate.onChange(() => (this.currentAgent = this.createAgent()));
  }

  /**
   * For clients with pools of their own (undici's, in @sodertorn/shard-client): over https, a
   * function giving the TLS options of the next connection (the same object until the files
   * change); undefined over http.
   */
  get tlsSource(): (() => PeerTlsOptions) | undefined {
    return this.tls ? () => this.currentTlsOptions! : undefined;
  }

  /** The agent for the next request to this peer (node:http/https `agent` option). */
  get agent(): HttpAgent {
    return this.currentAgent;
  }

  /**
   * A `fetch` over this peer's pool, for code written against fetch (Apollo's
   * RemoteGraphQLDataSource, readiness probes): the answer is read whole, then
   * handed back as a standard Response.
   */
  readonly fetch = (
    input: string | URL,
    init: { method?: string; headers?: Record<string, string> | Headers; body?: string | Buffer | null; signal?: AbortSignal | null } = {},
  ): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(input);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers.entries()) : { ...init.headers };
      if (init.body != null) headers['content-length'] = String(Buffer.byteLength(init.body));
      const request = send(
        target,
        { method: init.method ?? 'GET', headers, agent: this.currentAgent, signal: init.signal ?? undefined },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
            }
            const status = response.statusCode ?? 502;
            const nullBody = status === 204 || status === 304;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers: responseHeaders }));
          });
        },
      );
      // As fetch does, an aborted call rejects with the signal's reason (a TimeoutError for AbortSignal.timeout).
      function fail(error: Error): void {
        reject(init.signal?.aborted ? init.signal.reason : error);
      }
      request.on('error', fail);
      request.end(init.body ?? undefined);
    });

  private createAgent(): HttpAgent {
    if (!this.tls) return new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    const { identity } = this.tls;
    const own = this.tls.clientCertificate.current;
    this.currentTlsOptions = {
      minVersion: MIN_TLS_VERSION,
      ca: this.tls.trust.current,
      cert: own.cert,
      key: own.key,
      servername: identity,
      // The peer's identity is what the registry expects of it, not the URL's host (an address, a load balancer).
      checkServerIdentity: (_host: string, certificate: PeerCertificate) => checkServerIdentity(identity, certificate),
    };
    return new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, ...this.currentTlsOptions });
  }
}
