import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logger';

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
 * PEM files that are read again whenever they change on disk (a file watch on
 * their directories, so an atomic rename or a Kubernetes secret update is seen)
 * or the process gets SIGHUP. A reload that fails — a half-written file, a key
 * that does not match its certificate — keeps the material in use and logs why:
 * a rotation gone wrong never takes a running service down.
 */
export class WatchedCertificates<T> implements CertificateSet {
  private value: T;
  private texts: string[];
  private notAfterDates: Date[];
  private readonly listeners = new Set<(value: T) => void>();
  private readonly watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private warnedOn = '';

  private constructor(
    /** What these files are, for logs and the expiry metric (`server`, `clients-ca`, `peer-0126`). */
    readonly label: string,
    readonly files: readonly string[],
    private readonly parse: (texts: string[]) => { value: T; certificates: X509Certificate[] },
    private readonly logger: Logger,
  ) {
    const loaded = this.read();
    this.value = loaded.value;
    this.texts = loaded.texts;
    this.notAfterDates = loaded.notAfter;
    this.warnIfExpiring();
  }

  /** A certificate and its key (`TLS_CERT_FILE`, `TLS_KEY_FILE`). Throws, naming the file, if they cannot be used. */
  static keyPair(label: string, certFile: string, keyFile: string, logger: Logger): WatchedCertificates<KeyPair> {
    return new WatchedCertificates(label, [certFile, keyFile], ([cert, key]) => parseKeyPair(cert!, key!, certFile, keyFile), logger).start();
  }

  /** A bundle of trusted CA certificates, PEM (`TLS_CA_FILE`, a registry entry's `tls.caFile`). */
  static caBundle(label: string, caFile: string, logger: Logger): WatchedCertificates<string> {
    return new WatchedCertificates(label, [caFile], ([pem]) => ({ value: pem!, certificates: parseCertificates(pem!, caFile) }), logger).start();
  }

  get current(): T {
    return this.value;
  }

  /** Days until the first certificate in these files expires (negative once it has). */
  daysLeft(now = Date.now()): number {
    return Math.min(...this.notAfterDates.map((date) => (date.getTime() - now) / DAY_MS));
  }

  /** Called with the new material after each reload that changed it. */
  onChange(listener: (value: T) => void): void {
    this.listeners.add(listener);
  }

  /** Reads the files again; true if the material changed and is now in use. */
  reload(): boolean {
    let loaded: ReturnType<WatchedCertificates<T>['read']>;
    try {
      loaded = this.read();
    } catch (error) {
      this.logger.error({ certificates: this.label, reason: (error as Error).message }, 'TLS reload failed; the certificates in use are kept');
      return false;
    }
    if (loaded.texts.every((text, i) => text === this.texts[i])) return false;
    this.value = loaded.value;
    this.texts = loaded.texts;
    this.notAfterDates = loaded.notAfter;
    this.logger.info({ certificates: this.label, daysLeft: Math.floor(this.daysLeft()) }, 'TLS certificates reloaded');
    this.warnIfExpiring();
    for (const listener of this.listeners) listener(this.value);
    return true;
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
    clearTimeout(this.debounce);
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    RELOAD_ON_SIGHUP.delete(this);
  }

  private read(): { value: T; texts: string[]; notAfter: Date[] } {
    const texts = this.files.map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    });
    const { value, certificates } = this.parse(texts);
    return { value, texts, notAfter: certificates.map((c) => new Date(c.validTo)) };
  }

  /** Watches each file's directory (a watch on the file itself ends when the file is replaced by a rename). */
  private start(): this {
    const names = new Set(this.files.map((file) => basename(file)));
    for (const dir of new Set(this.files.map((file) => dirname(file)))) {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Kubernetes swaps a `..data` symlink rather than the files: any change in the directory counts.
        if (name && !names.has(name) && !name.startsWith('..')) return;
        clearTimeout(this.debounce);
        // Writers create, then write: wait for the burst of events to settle before reading.
        this.debounce = setTimeout(() => this.reload(), 150);
      });
      watcher.on('error', (error) => this.logger.warn({ certificates: this.label, reason: error.message }, 'TLS file watch failed; SIGHUP still reloads'));
      this.watchers.push(watcher);
    }
    RELOAD_ON_SIGHUP.add(this);
    return this;
  }
}

/** Every set of watched files in this process; SIGHUP reloads them all. */
const RELOAD_ON_SIGHUP = new Set<CertificateSet>();
let sighupListening = false;

/** Reloads every watched certificate on SIGHUP (the signal's default would end the process). */
export function reloadCertificatesOnSighup(): void {
  if (sighupListening) return;
  sighupListening = true;
  process.on('SIGHUP', () => {
    for (const certificates of RELOAD_ON_SIGHUP) certificates.reload();
  });
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
