import { createLogger, type Logger } from '../logger';
import { WatchedCertificates, type CertificateSet, type KeyPair } from './certificate-files';
import { PeerConnection, type PeerTrust } from './peer-connection';
import type { TransportEnv } from './transport-config';

/**
 * A service's TLS material, opened once at start from its TransportEnv: the
 * certificate it serves, the CAs and identities of the clients it accepts, the
 * certificate it presents to peers, and one PeerConnection per peer it calls.
 * Every file is watched and reloaded without a restart (and on SIGHUP).
 */
export class ServiceTls {
  readonly server?: WatchedCertificates<KeyPair>;
  readonly clientCas?: WatchedCertificates<string>;
  readonly clientIdentities: readonly string[];
  readonly clientCertificate?: WatchedCertificates<KeyPair>;
  private readonly peerCas = new Map<string, WatchedCertificates<string>>();
  private readonly expiryTimer: NodeJS.Timeout;

  constructor(
    readonly transport: TransportEnv,
    readonly logger: Logger,
  ) {
    const { server, clientCertificate } = transport;
    if (server.kind === 'tls') {
      this.server = WatchedCertificates.keyPair('server', server.certFile, server.keyFile, logger);
      if (server.clientCaFile) this.clientCas = WatchedCertificates.caBundle('clients-ca', server.clientCaFile, logger);
    }
    this.clientIdentities = server.kind === 'tls' ? (server.clientIdentities ?? []) : [];
    if (clientCertificate) {
      const same = server.kind === 'tls' && server.certFile === clientCertificate.certFile && server.keyFile === clientCertificate.keyFile;
      this.clientCertificate = same ? this.server : WatchedCertificates.keyPair('client', clientCertificate.certFile, clientCertificate.keyFile, logger);
    }
    // A certificate nobody touches still runs out: say so every day it is close.
    this.expiryTimer = setInterval(() => this.all().forEach((c) => c.warnIfExpiring()), 3_600_000);
    this.expiryTimer.unref();
  }

  /** No TLS material, and plain http peers allowed: for callers given none (tests, benchmarks over plain HTTP). */
  static plainHttpOnly(): ServiceTls {
    return new ServiceTls({ server: { kind: 'plain' }, allowPlainHttp: true }, createLogger('tls', 'silent'));
  }

  /** Whether this service serves HTTPS. */
  get serving(): boolean {
    return Boolean(this.server);
  }

  /**
   * The connection pool to a peer: over https with the peer's trust anchors and
   * identity (and this service's client certificate); over http only if
   * ALLOW_PLAIN_HTTP=true. Throws a clear error otherwise, at start.
   */
  connect(url: string, trust: PeerTrust | undefined, label: string): PeerConnection {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:') {
      if (!this.transport.allowPlainHttp) throw new Error(`${label} (${url}) is plain http: only allowed with ALLOW_PLAIN_HTTP=true (loopback development)`);
      return new PeerConnection(parsed);
    }
    if (parsed.protocol !== 'https:') throw new Error(`${label} (${url}) is neither https nor http`);
    if (!trust) throw new Error(`${label} (${url}) is https but has no trust anchors and identity (a CA file and the identity its certificate must name)`);
    if (!this.clientCertificate)
      throw new Error(`${label} (${url}) needs mutual TLS: set TLS_CERT_FILE and TLS_KEY_FILE (or TLS_CLIENT_CERT_FILE and TLS_CLIENT_KEY_FILE)`);
    let ca = this.peerCas.get(trust.caFile);
    if (!ca) {
      ca = WatchedCertificates.caBundle(`peer ${label}`, trust.caFile, this.logger);
      this.peerCas.set(trust.caFile, ca);
    }
    return new PeerConnection(parsed, { trust: ca, identity: trust.identity, clientCertificate: this.clientCertificate });
  }

  /** Every watched set of certificates, for the expiry metric. */
  all(): CertificateSet[] {
    const sets: (CertificateSet | undefined)[] = [this.server, this.clientCas, this.clientCertificate, ...this.peerCas.values()];
    return [...new Set(sets.filter((c) => c !== undefined))];
  }

  close(): void {
    clearInterval(this.expiryTimer);
    for (const certificates of this.all()) certificates.close();
  }
}
