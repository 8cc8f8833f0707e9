import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevCertificateAuthority, type IssuedCertificate } from './dev-pki';

/** The identities the development certificates carry (the `.test` domain is reserved for this). */
export const DEV_IDENTITIES = {
  gateway: 'gateway.region.sodertorn.test',
  regional: 'regional.region.sodertorn.test',
  municipality: (code: string) => `${code}.municipality.sodertorn.test`,
};

export interface ServiceCertificateFiles {
  identity: string;
  certFile: string;
  keyFile: string;
}

/**
 * Where each service's certificate and each trust anchor lies. The region runs
 * one CA for its own services (gateway, regional); each municipality runs its
 * own CA for its shard, as a kommun's IT department would.
 */
export interface RegionPkiFiles {
  dir: string;
  /** The region's CA: shards trust it for callers; curl trusts it for the gateway. */
  regionCaFile: string;
  gateway: ServiceCertificateFiles;
  regional: ServiceCertificateFiles;
  /** By kommunkod: the shard's certificate and its municipality's CA (the callers' trust anchor for it). */
  municipalities: Record<string, ServiceCertificateFiles & { caFile: string }>;
}

/**
 * Writes a development PKI for the region into `dir`: a CA per municipality and
 * one for the region, each kept across runs when present and valid for 30 days
 * more, and fresh 90-day leaf certificates for every service on each call.
 * `addresses` adds IP addresses to a service's certificate, by `gateway`, `regional` or kommunkod
 * (for services on hosts of their own, reached by address).
 */
export async function writeRegionPki(
  dir: string,
  codes: readonly string[],
  addresses: Readonly<Record<string, readonly string[]>> = {},
): Promise<RegionPkiFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const regionCa = await openOrCreateCa(dir, 'region', 'Södertörn region development CA');
  const service = async (name: string, ca: DevCertificateAuthority, identity: string, key: string): Promise<ServiceCertificateFiles> => ({
    identity,
    ...writeCertificate(dir, name, await ca.issue({ identity, addresses: addresses[key] })),
  });
  const municipalities: RegionPkiFiles['municipalities'] = {};
  for (const code of codes) {
    const ca = await openOrCreateCa(dir, `municipality-${code}`, `Municipality ${code} development CA`);
    municipalities[code] = {
      ...(await service(`municipality-${code}`, ca, DEV_IDENTITIES.municipality(code), code)),
      caFile: caFile(dir, `municipality-${code}`),
    };
  }
  return {
    dir,
    regionCaFile: caFile(dir, 'region'),
    gateway: await service('gateway', regionCa, DEV_IDENTITIES.gateway, 'gateway'),
    regional: await service('regional', regionCa, DEV_IDENTITIES.regional, 'regional'),
    municipalities,
  };
}

const caFile = (dir: string, name: string) => join(dir, `${name}-ca.pem`);

async function openOrCreateCa(dir: string, name: string, commonName: string): Promise<DevCertificateAuthority> {
  const certFile = caFile(dir, name);
  const keyFile = join(dir, `${name}-ca.key`);
  if (existsSync(certFile) && existsSync(keyFile)) {
    try {
      const ca = await DevCertificateAuthority.open(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8'));
      if (ca.notAfter.getTime() > Date.now() + 30 * 86_400_000) return ca;
    } catch {
      // unreadable: replaced below, as a missing one would be
    }
  }
  const ca = await DevCertificateAuthority.create(commonName);
  writeFileSync(keyFile, ca.keyPem, { mode: 0o600 });
  writeFileSync(certFile, ca.certPem);
  return ca;
}

function writeCertificate(dir: string, name: string, issued: IssuedCertificate): { certFile: string; keyFile: string } {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
  writeFileSync(certFile, issued.certPem);
  return { certFile, keyFile };
}
