import { ConfigError, env, parseEnv, z } from '../config';

/**
 * How a service talks: TLS with its certificate files, or plain HTTP only when
 * told so explicitly for loopback development.
 */
export type TransportConfig =
  | { kind: 'plain' }
  | {
      kind: 'tls';
      certFile: string;
      keyFile: string;
      /** CAs whose client certificates this service accepts (mutual TLS); without it no client certificate is asked for. */
      clientCaFile?: string;
      /** The identities (DNS or URI subjectAltName) a client certificate must name, one of them. */
      clientIdentities?: string[];
    };

/** The certificate this service presents when it calls others over mutual TLS (absent: it cannot). */
export interface ClientCertificateConfig {
  certFile: string;
  keyFile: string;
}

export interface TransportEnv {
  server: TransportConfig;
  clientCertificate?: ClientCertificateConfig;
  /** Whether http:// peers may be called (only with ALLOW_PLAIN_HTTP=true). */
  allowPlainHttp: boolean;
  /**
   * MANAGEMENT_PORT: a second, plain-HTTP port serving only /health, /ready and /metrics (no
   * personal data), for probes and scrapers that hold no client certificate (see listen()).
   */
  managementPort?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const file = (what: string) => z.string().min(1, `must be the path of ${what}`).optional();

/**
 * Parses TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE, TLS_CLIENT_IDENTITIES,
 * TLS_CLIENT_CERT_FILE, TLS_CLIENT_KEY_FILE, ALLOW_PLAIN_HTTP and MANAGEMENT_PORT. Refuses every
 * ambiguous combination rather than guessing: a certificate without its key,
 * TLS and plain HTTP both, neither, plain HTTP on a non-loopback address, and —
 * where `requireClientCertificates` — TLS without the clients' CA and identities.
 */
export function parseTransportEnv(service: string, source: NodeJS.ProcessEnv, options: { requireClientCertificates: boolean }): TransportEnv {
  const config = parseEnv(
    service,
    {
      TLS_CERT_FILE: file("this service's certificate (PEM)"),
      TLS_KEY_FILE: file("this service's private key (PEM)"),
      TLS_CA_FILE: file('the CA bundle (PEM) whose client certificates are accepted'),
      TLS_CLIENT_IDENTITIES: z.string().optional(),
      TLS_CLIENT_CERT_FILE: file('the certificate (PEM) this service presents to the services it calls'),
      TLS_CLIENT_KEY_FILE: file('the private key (PEM) of TLS_CLIENT_CERT_FILE'),
      ALLOW_PLAIN_HTTP: env.boolean(false),
      MANAGEMENT_PORT: env.port().optional(),
      HOST: env.host(),
    },
    source,
  );
  const problems: string[] = [];
  const pairProblem = (cert: string, key: string) => {
    if (Boolean(config[cert as keyof typeof config]) !== Boolean(config[key as keyof typeof config]))
      problems.push(`${cert} and ${key} go together: set both or neither`);
  };
  pairProblem('TLS_CERT_FILE', 'TLS_KEY_FILE');
  pairProblem('TLS_CLIENT_CERT_FILE', 'TLS_CLIENT_KEY_FILE');
  const identities = (config.TLS_CLIENT_IDENTITIES ?? '')
    .split(',')
    .map((identity) => identity.trim())
    .filter(Boolean);
  const tls = Boolean(config.TLS_CERT_FILE);

  if (tls && config.ALLOW_PLAIN_HTTP) problems.push('ALLOW_PLAIN_HTTP=true and TLS_CERT_FILE are both set: choose TLS (remove ALLOW_PLAIN_HTTP) or plain HTTP');
  if (!tls && !config.ALLOW_PLAIN_HTTP && !config.TLS_KEY_FILE)
    problems.push(
      'TLS_CERT_FILE and TLS_KEY_FILE are required: set them to serve HTTPS, or ALLOW_PLAIN_HTTP=true for plain HTTP on a loopback address in development',
    );
  if (config.ALLOW_PLAIN_HTTP && !LOOPBACK.has(config.HOST))
    problems.push(`ALLOW_PLAIN_HTTP=true is only for loopback development; HOST is ${config.HOST}: serve TLS instead`);
  if (!tls && (config.TLS_CA_FILE || identities.length))
    problems.push('TLS_CA_FILE and TLS_CLIENT_IDENTITIES need TLS_CERT_FILE and TLS_KEY_FILE: mutual TLS is TLS first');
  if (Boolean(config.TLS_CA_FILE) !== identities.length > 0)
    problems.push('TLS_CA_FILE and TLS_CLIENT_IDENTITIES go together: a client certificate is checked for its CA and for its identity');
  if (tls && options.requireClientCertificates && !config.TLS_CA_FILE)
    problems.push(`TLS_CA_FILE is required: ${service} accepts only the region's services, by client certificate (with TLS_CLIENT_IDENTITIES)`);
  if (config.MANAGEMENT_PORT && source.PORT?.trim() === String(config.MANAGEMENT_PORT))
    problems.push(`MANAGEMENT_PORT is ${config.MANAGEMENT_PORT}, the same as PORT: the management port (health, readiness, metrics) must be a port of its own`);
  if (problems.length) throw new ConfigError(service, problems);

  const clientCert = config.TLS_CLIENT_CERT_FILE ?? config.TLS_CERT_FILE;
  const clientKey = config.TLS_CLIENT_KEY_FILE ?? config.TLS_KEY_FILE;
  return {
    server: tls
      ? {
          kind: 'tls',
          certFile: config.TLS_CERT_FILE!,
          keyFile: config.TLS_KEY_FILE!,
          ...(config.TLS_CA_FILE ? { clientCaFile: config.TLS_CA_FILE, clientIdentities: identities } : {}),
        }
      : { kind: 'plain' },
    clientCertificate: clientCert && clientKey ? { certFile: clientCert, keyFile: clientKey } : undefined,
    allowPlainHttp: config.ALLOW_PLAIN_HTTP,
    ...(config.MANAGEMENT_PORT === undefined ? {} : { managementPort: config.MANAGEMENT_PORT }),
  };
}
