import { loadGatewayConfig, loadTrustedDocuments } from '@sodertorn/gateway';
import { loadMunicipalityConfig } from '@sodertorn/municipality';
import { loadRegionalConfig } from '@sodertorn/regional';
import { loadWebConfig } from '@sodertorn/web';
import { createLogger, loadRegistry, parseUrlOverrides, ServiceTls, type TransportEnv } from '@sodertorn/service-kit';
import { DevCertificateAuthority } from '@sodertorn/testing';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { KUBERNETES_DIR, renderKustomization, type KubernetesObject } from './support/kustomize';

/**
 * Each rendered Deployment's service, started as far as its own configuration goes: its
 * environment as Kubernetes would give it (the ConfigMaps of `envFrom`, then `env`), its mounted
 * volumes as files under a temporary root (ConfigMaps with their data; Secrets, which are never
 * committed, with placeholders: certificates from a test PKI, a PostgreSQL URL, …), then the
 * service's own config parser (loadGatewayConfig, loadRegionalConfig, loadMunicipalityConfig), its
 * TLS material (ServiceTls reads and checks every certificate and key) and the member registry with
 * each member's CA. A manifest the service would refuse to start with fails here.
 */
type Container = {
  name: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type Volume = { name: string; secret?: { secretName: string; defaultMode?: number }; configMap?: { name: string } };
type PodSpec = { containers: Container[]; volumes?: Volume[] };
type ConfigMap = KubernetesObject & { data: Record<string, string> };

const logger = createLogger('kubernetes-settings-test', 'silent');
/** Where the Containerfile puts the repository. */
const IMAGE_ROOT = '/app/';
const overlays = readdirSync(join(KUBERNETES_DIR, 'overlays')).sort();
let root: string;
let ca: DevCertificateAuthority;

beforeAll(async () => {
  ca = await DevCertificateAuthority.create('Placeholder CA');
});

/** A container's files: each volume mount under `root`, ConfigMaps written out, Secrets filled with placeholders on demand. */
class Mounts {
  constructor(
    private readonly pod: PodSpec,
    private readonly container: Container,
    private readonly objects: KubernetesObject[],
  ) {
    for (const mount of container.volumeMounts ?? []) {
      const volume = this.volume(mount.name);
      mkdirSync(join(root, mount.mountPath), { recursive: true });
      if (volume.configMap) {
        const configMap = findConfigMap(objects, volume.configMap.name);
        for (const [key, text] of Object.entries(configMap.data)) writeFileSync(join(root, mount.mountPath, key), text);
      }
    }
  }

  /** The file a path of the container stands for here; a Secret's file gets its placeholder. Throws for a path in no volume. */
  async file(path: string): Promise<string> {
    // The image's own files (/app is the repository's layout, built): read from this checkout's build.
    if (path.startsWith(IMAGE_ROOT)) return join(KUBERNETES_DIR, '../..', path.slice(IMAGE_ROOT.length));
    const mount = (this.container.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`));
    if (!mount) throw new Error(`${this.container.name}: ${path} is in no mounted volume`);
    const local = join(root, path);
    const volume = this.volume(mount.name);
    if (volume.secret) {
      // Secrets are mounted 0400 (decimal 256): readable by the service's user only.
      expect([path, volume.secret.defaultMode]).toEqual([path, 256]);
      if (!existsSync(local)) await writePlaceholder(local);
    } else if (!existsSync(local)) {
      throw new Error(`${this.container.name}: ${path} is not a key of ConfigMap ${volume.configMap?.name}`);
    }
    return local;
  }

  private volume(name: string): Volume {
    const volume = this.pod.volumes?.find((v) => v.name === name);
    if (!volume) throw new Error(`${this.container.name} mounts ${name}, which is no volume of the pod`);
    return volume;
  }
}

/** What a Secret's file holds, by its name: a value of the right form, never a real secret. */
async function writePlaceholder(file: string): Promise<void> {
  const name = basename(file);
  const text: Record<string, () => Promise<string> | string> = {
    'database-url': () => 'postgres://runtime:placeholder@postgres.example:5432/sodertorn',
    'case-reference-key': () => 'a-placeholder-case-reference-key-of-40-chars',
    'service-client-secret': () => 'placeholder-client-secret',
    'statistics-private-key.pem': () => generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ca.crt': () => ca.certPem,
  };
  if (name === 'tls.crt' || name === 'tls.key') {
    const issued = await ca.issue({ identity: 'placeholder.sodertorn.test' });
    writeFileSync(join(dirname(file), 'tls.crt'), issued.certPem);
    writeFileSync(join(dirname(file), 'tls.key'), issued.keyPem);
  } else if (/^municipality-\d{4}-ca\.pem$/.test(name)) {
    writeFileSync(file, ca.certPem);
  } else if (text[name]) {
    writeFileSync(file, await text[name]());
  } else {
    throw new Error(`no placeholder for a Secret's file named ${name}: add one to this test`);
  }
}

function findConfigMap(objects: KubernetesObject[], name: string): ConfigMap {
  const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!found) throw new Error(`ConfigMap ${name} is not among the rendered objects`);
  return found as ConfigMap;
}

/** The environment Kubernetes gives the container: `envFrom` ConfigMaps first, `env` over them; *_FILE paths mapped to the files here. */
async function environmentOf(container: Container, objects: KubernetesObject[], mounts: Mounts): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, findConfigMap(objects, source.configMapRef!.name).data);
  for (const variable of container.env ?? []) {
    if (variable.valueFrom !== undefined || variable.value === undefined) throw new Error(`${variable.name}: only plain values are resolved by this test`);
    env[variable.name] = variable.value;
  }
  for (const [name, value] of Object.entries(env)) if (name.endsWith('_FILE') && value.trim()) env[name] = await mounts.file(value);
  return env;
}

/** Starts what the service's main starts before it listens, short of the database and the network. */
async function startAsMain(command: string, env: Record<string, string>, mounts: Mounts): Promise<{ transport: TransportEnv; port: number; issuers: number }> {
  const opened: ServiceTls[] = [];
  const openTls = (transport: TransportEnv) => {
    const tls = new ServiceTls(transport, logger);
    opened.push(tls);
    return tls;
  };
  /** The member registry as main loads it, each member's CA file in place, and a connection to each member opened. */
  const connectMembers = async (tls: ServiceTls, registryFile: string, overrides: string | undefined) => {
    for (const member of loadRegistry(registryFile, parseUrlOverrides(overrides))) {
      // tls.caFile is resolved against the registry file's directory, which lies under root here.
      const trust = member.tls && {
        ...member.tls,
        caFile: await mounts.file(member.tls.caFile.startsWith(root) ? member.tls.caFile.slice(root.length) : member.tls.caFile),
      };
      tls.connect(member.url, trust, `municipality ${member.code}`);
    }
  };
  try {
    if (command === 'gateway') {
      const config = loadGatewayConfig(env);
      const tls = openTls(config.transport);
      await connectMembers(tls, config.registryFile, config.municipalityUrlOverrides);
      tls.connect(config.regionalUrl, config.regionalTrust, 'regional subgraph');
      if (config.persistedOperationsFile) loadTrustedDocuments(config.persistedOperationsFile, config.trustedDocumentsRequired);
      return { transport: config.transport, port: config.port, issuers: config.auth.issuers.length };
    }
    if (command === 'regional') {
      const config = loadRegionalConfig(env);
      const tls = openTls(config.transport);
      await connectMembers(tls, config.registryFile, config.municipalityUrlOverrides);
      return { transport: config.transport, port: config.port, issuers: config.auth.issuers.length };
    }
    if (command === 'web') {
      const config = loadWebConfig(env);
      openTls(config.transport);
      return { transport: config.transport, port: config.port, issuers: config.auth.issuers.length };
    }
    if (command === 'municipality') {
      const config = loadMunicipalityConfig(env);
      openTls(config.transport);
      return { transport: config.transport, port: config.port, issuers: config.auth.issuers.length };
    }
    throw new Error(`unknown service command ${command}`);
  } finally {
    opened.forEach((tls) => tls.close());
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kubernetes-settings-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.each(overlays)('overlay %s: every Deployment starts with its own settings', (overlay) => {
  const objects = renderKustomization(join(KUBERNETES_DIR, 'overlays', overlay));
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const podOf = (deployment: KubernetesObject) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s: its config parser, TLS material and registry accept it', async (_name, deployment) => {
    const pod = podOf(deployment);
    const container = pod.containers[0]!;
    const mounts = new Mounts(pod, container, objects);
    const env = await environmentOf(container, objects, mounts);
    const started = await startAsMain(container.args![0]!, env, mounts);
    const port = (name: string) => container.ports?.find((p) => p.name === name)?.containerPort;
    // HTTPS on the port the Service targets, the management port where the probes look.
    expect(started.transport.server.kind).toBe('tls');
    expect(started.port).toBe(port('https'));
    expect(started.transport.managementPort).toBe(port('management'));
    expect(started.transport.allowPlainHttp).toBe(false);
    // Shards and the regional subgraph accept only the region's services, by client certificate.
    const server = started.transport.server as Extract<TransportEnv['server'], { kind: 'tls' }>;
    if (['gateway', 'web'].includes(deployment.metadata.name)) expect(server.clientCaFile).toBeUndefined();
    else expect(server.clientIdentities?.length).toBeGreaterThan(0);
    // Several issuers from the trust file: a municipality's provider vouches for its staff only.
    expect(started.issuers).toBeGreaterThan(1);
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s: the check fails for a manifest the service would refuse', async (_name, deployment) => {
    const pod = podOf(deployment);
    const container = structuredClone(pod.containers[0]!);
    const start = async (change: (c: Container) => void) => {
      const changed = structuredClone(container);
      change(changed);
      const mounts = new Mounts(pod, changed, objects);
      return startAsMain(changed.args![0]!, await environmentOf(changed, objects, mounts), mounts);
    };
    // As the manifests were before TLS: 0.0.0.0 without certificates.
    await expect(start((c) => (c.env = c.env!.filter((v) => !v.name.startsWith('TLS_'))))).rejects.toThrow(/TLS_CERT_FILE and TLS_KEY_FILE are required/);
    // A certificate path outside every mounted volume.
    await expect(start((c) => (c.env!.find((v) => v.name === 'TLS_KEY_FILE')!.value = '/etc/tls.key'))).rejects.toThrow(
      /\/etc\/tls\.key is in no mounted volume/,
    );
    // No trust file: the single-issuer settings are then required, and no issuer is configured.
    await expect(start((c) => (c.env = c.env!.filter((v) => v.name !== 'AUTH_TRUSTED_ISSUERS_FILE')))).rejects.toThrow(/AUTH_ISSUER is required/);
  });
});
