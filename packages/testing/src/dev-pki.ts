// tsyringe, which @peculiar/x509 uses, wants the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type Crypto = Parameters<typeof x509.cryptoProvider.set>[0];

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** ECDSA P-256: small keys, fast handshakes, accepted by every TLS 1.2/1.3 stack. */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  /** The identity callers check: the certificate's first DNS subjectAltName and its common name. */
  identity: string;
  /** Validity from now (default 90 days); negative with `startsDaysAgo` gives an expired one. */
  days?: number;
  startsDaysAgo?: number;
  /** IP addresses the service is reached at besides 127.0.0.1 (a host's own address on a network). */
  addresses?: readonly string[];
}

/**
 * A development certificate authority, as a municipality's or the region's PKI
 * would run one: it signs leaf certificates for services. Only `npm start` and
 * the tests use it; a deployment gets its certificates from its own CA.
 */
export class DevCertificateAuthority implements IssuedCertificate {
  private constructor(
    readonly name: string,
    readonly certPem: string,
    readonly keyPem: string,
    private readonly certificate: x509.X509Certificate,
    private readonly keys: webcrypto.CryptoKeyPair,
  ) {}

  /** A new self-signed CA named `name`, valid for `days`. */
  static async create(name: string, days = 3650): Promise<DevCertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: `CN=${name}`,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + days * DAY_MS),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new DevCertificateAuthority(name, certificate.toString('pem'), await keyToPem(keys.privateKey), certificate, keys);
  }

  /** Reopens a CA from its PEM files (so `npm start` keeps one development CA across runs). */
  static async open(certPem: string, keyPem: string): Promise<DevCertificateAuthority> {
    const certificate = new x509.X509Certificate(certPem);
    const der = x509.PemConverter.decodeFirst(keyPem);
    const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
    const publicKey = await certificate.publicKey.export(ALGORITHM, ['verify'], webcrypto as unknown as Crypto);
    const name = certificate.subjectName.getField('CN')[0] ?? certificate.subject;
    return new DevCertificateAuthority(name, certPem, keyPem, certificate, { privateKey, publicKey });
  }

  /** When this CA's own certificate expires. */
  get notAfter(): Date {
    return this.certificate.notAfter;
  }

  /**
   * A leaf certificate for a service, usable as TLS server and client certificate
   * (as the region's services are both): SAN DNS:<identity>, DNS:localhost and
   * IP:127.0.0.1 (and any `addresses`), so curl on this machine accepts it too.
   */
  async issue(options: IssueOptions): Promise<IssuedCertificate> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const start = Date.now() - (options.startsDaysAgo ?? 1) * DAY_MS;
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${options.identity}`,
      issuer: this.certificate.subject,
      notBefore: new Date(start),
      notAfter: new Date(Date.now() + (options.days ?? 90) * DAY_MS),
      signingKey: this.keys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: options.identity },
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
          ...(options.addresses ?? []).map((value) => ({ type: 'ip' as const, value })),
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(this.certificate),
      ],
    });
    return { certPem: certificate.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
  }
}

async function keyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** 16 random bytes, first bit clear: a positive serial as RFC 5280 asks. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0]! &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}
