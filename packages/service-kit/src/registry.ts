import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * How callers recognise a municipality's deployment over mutual TLS: the trust
 * anchors of the municipality's own PKI, and the identity (a DNS name in the
 * certificate's subjectAltName) its server certificate must carry.
 */
const ShardTrust = z.object({
  caFile: z.string().min(1, "must be the path of the municipality's CA bundle (PEM), relative to the registry file or absolute"),
  identity: z.string().regex(DNS_NAME, 'must be the DNS name the shard’s certificate carries, e.g. 0126.municipality.sodertorn.se'),
});

const MunicipalityEntry = z
  .object({
    code: z.string().regex(/^\d{4}$/, 'must be a four-digit kommunkod'),
    name: z.string().min(1),
    url: z.url('must be the URL of the municipality subgraph, e.g. https://huddinge.example/graphql'),
    tls: ShardTrust.optional(),
  })
  .superRefine((entry, context) => {
    const https = entry.url.startsWith('https:');
    if (https && !entry.tls) context.addIssue({ code: 'custom', path: ['tls'], message: 'is required for an https URL: { "caFile": …, "identity": … }' });
    if (!https && entry.tls) context.addIssue({ code: 'custom', path: ['tls'], message: 'is given for a plain http URL: use https, or remove tls' });
  });
const Registry = z.array(MunicipalityEntry).min(1);

export type MunicipalityEntry = z.infer<typeof MunicipalityEntry>;

/** `infra/municipalities.json` in this checkout: the region's registry of municipalities. */
export const DEFAULT_REGISTRY_FILE = resolve(__dirname, '../../../infra/municipalities.json');

/**
 * Reads the registry of municipalities (code, name, subgraph URL and, for an
 * https URL, the trust anchors and identity of its certificate; a relative
 * `tls.caFile` is read from the registry file's directory).
 *
 * `urlOverrides` replaces URLs by code: the local runner picks free ports, and a
 * deployment may publish its shards elsewhere than the committed defaults.
 */
export function loadRegistry(file: string = DEFAULT_REGISTRY_FILE, urlOverrides: Record<string, string> = {}): MunicipalityEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`municipality registry ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = Registry.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`municipality registry ${file} is invalid: ${problems}`);
  }
  const codes = new Set<string>();
  for (const entry of parsed.data) {
    if (codes.has(entry.code)) throw new Error(`municipality registry ${file} lists ${entry.code} twice`);
    codes.add(entry.code);
  }
  for (const code of Object.keys(urlOverrides)) {
    if (!codes.has(code)) throw new Error(`a subgraph URL is given for ${code}, which is not in the registry ${file}`);
  }
  return parsed.data.map((entry) => {
    const url = urlOverrides[entry.code] ?? entry.url;
    if (url.startsWith('https:') !== entry.url.startsWith('https:'))
      throw new Error(`MUNICIPALITY_SUBGRAPH_URLS changes ${entry.code} between http and https; change the registry ${file} (its tls) instead`);
    return { ...entry, url, ...(entry.tls ? { tls: { ...entry.tls, caFile: resolve(dirname(file), entry.tls.caFile) } } : {}) };
  });
}

/** Parses `0126=http://host:4101/graphql,0127=…` (the MUNICIPALITY_SUBGRAPH_URLS format). */
export function parseUrlOverrides(value: string | undefined): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\d{4})=(https?:\/\/.+)$/.exec(pair);
    if (!match) throw new Error(`MUNICIPALITY_SUBGRAPH_URLS: "${pair}" is not of the form 0126=http://host:port/graphql`);
    overrides[match[1]!] = match[2]!;
  }
  return overrides;
}
