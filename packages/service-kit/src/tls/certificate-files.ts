import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Logger } from '../logger';
import { WatchedFiles } from '../watched-files';

/** A certificate with its private key, both PEM, checked to belong together. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** Warn in the log when a certificate has fewer days left than this. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** What every watched set of files offers, whatever it holds: for SIGHUP, the expiry metric and warnings. */
export interface CertificateSet {
  readonly label: string;
  readonly files: readonly string[];
  daysLeft(now?: number): number;
  warnIfExpiring(now?: number): void;
  reload(): boolean;
  close(): void;
}

/**
 * PEM files that are read again whenever they change on disk or the process gets
 * SIGHUP (WatchedFiles: a reload that fails — a half-written file, a key that
 * does not match its certificate — keeps the material in use and logs why), with
 * the expiry of the certificates they hold.
 */
export class WatchedCertificates<T> implements CertificateSet {
  private readonly watched: WatchedFiles<{ value: T; notAfter: Date[] }>;
  private warnedOn = '';

  private constructor(
    /** What these files are, for logs and the expiry metric (`server`, `clients-ca`, `peer-0126`). */
    readonly label: string,
    readonly files: readonly string[],
    parse: (texts: string[]) => { value: T; certificates: X509Certificate[] },
    private readonly logger: Logger,
  ) {
    this.watched = new WatchedFiles(
      label,
      files,
      (texts) => {
        const { value, certificates } = parse(texts);
        return { value, notAfter: certificates.map((c) => new Date(c.validTo)) };
      },
      logger,
      {
        reloaded: 'TLS certificates reloaded',
        failed: 'TLS reload failed; the certificates in use are kept',
        watchFailed: 'TLS file watch failed; SIGHUP still reloads',
        labelField: 'certificates',
        details: () => ({ daysLeft: Math.floor(this.daysLeft()) }),
      },
    );
    this.watched.onChange(() => this.warnIfExpiring());
    this.warnIfExpiring();
  }

  /** A certificate and its key (`TLS_CERT_FILE`, `TLS_KEY_FILE`). Throws, naming the file, if they cannot be used. */
  static keyPair(label: string, certFile: string, keyFile: string, logger: Logger): WatchedCertificates<KeyPair> {
    return new WatchedCertificates(label, [certFile, keyFile], ([cert, key]) => parseKeyPair(cert!, key!, certFile, keyFile), logger);
  }

  /** A bundle of trusted CA certificates, PEM (`TLS_CA_FILE`, a registry entry's `tls.caFile`). */
  static caBundle(label: string, caFile: string, logger: Logger): WatchedCertificates<string> {
    return new WatchedCertificates(label, [caFile], ([pem]) => ({ value: pem!, certificates: parseCertificates(pem!, caFile) }), logger);
  }

  get current(): T {
    return this.watched.current.value;
  }

  /** Days until the first certificate in these files expires (negative once it has). */
  daysLeft(now = Date.now()): number {
    return Math.min(...this.watched.current.notAfter.map((date) => (date.getTime() - now) / DAY_MS));
  }

  /** Called with the new material after each reload that changed it. */
  onChange(listener: (value: T) => void): void {
    this.watched.onChange(({ value }) => listener(value));
  }

  /** Reads the files again; true if the material changed and is now in use. */
  reload(): boolean {
    return this.watched.reload();
  }

  /** Warns (once a day at most, see ExpiryWatch) when fewer than EXPIRY_WARNING_DAYS are left. */
  warnIfExpiring(now = Date.now()): void {
    const daysLeft = this.daysLeft(now);
    const today = new Date(now).toISOString().slice(0, 10);
    if (daysLeft >= EXPIRY_WARNING_DAYS || this.warnedOn === today) return;
    this.warnedOn = today;
    const fields = { certificates: this.label, files: this.files, daysLeft: Math.floor(daysLeft) };
    if (daysLeft < 0) this.logger.error(fields, 'TLS certificate has EXPIRED; replace the file (it is reloaded without a restart)');
    else this.logger.warn(fields, `TLS certificate expires in fewer than ${EXPIRY_WARNING_DAYS} days; replace the file (it is reloaded without a restart)`);
  }

  close(): void {
    this.watched.close();
  }
}

function parseCertificates(pem: string, file: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new Error(`${file} holds no PEM certificate`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new Error(`${file} holds a certificate that cannot be read: ${(error as Error).message}`);
    }
  });
}

function parseKeyPair(cert: string, key: string, certFile: string, keyFile: string): { value: KeyPair; certificates: X509Certificate[] } {
  const certificates = parseCertificates(cert, certFile);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`${keyFile} holds no private key that can be read: ${(error as Error).message}`);
  }
  if (!certificates[0]!.checkPrivateKey(privateKey)) throw new Error(`${keyFile} is not the private key of the certificate in ${certFile}`);
  return { value: { cert, key }, certificates };
}
