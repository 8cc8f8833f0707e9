import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_DIR, renderKustomization, type KubernetesObject } from './support/kustomize';

/**
 * The Kubernetes manifests (deploy/kubernetes): a Kustomize base per deployment and an
 * overlay per municipality and for the region. No cluster runs here, so every overlay is
 * rendered and every object validated against the Kubernetes API schemas (kubernetes-models),
 * then checked for what the operations guide promises.
 */
const MODELS: Record<string, { validate(): void } & (new (data: never) => { validate(): void })> = {
  'apps/v1/Deployment': Deployment as never,
  'batch/v1/CronJob': CronJob as never,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as never,
  'v1/ConfigMap': ConfigMap as never,
  'v1/Namespace': Namespace as never,
  'v1/Service': Service as never,
};
const MUNICIPALITIES = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const overlays = readdirSync(join(KUBERNETES_DIR, 'overlays')).sort();

type Container = {
  name: string;
  args?: string[];
  image?: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  ports?: { name: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
};
type Probe = { httpGet?: { path: string; port: string; scheme?: string } };
type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string }; emptyDir?: object }[];
};
const podOf = (deployment: KubernetesObject) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;
const byKind = (objects: KubernetesObject[], kind: string) => objects.filter((o) => o.kind === kind);

function validate(object: KubernetesObject): void {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind} (add its model to MODELS)`);
  new model(object as never).validate();
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('has an overlay per municipality and one for the region', () => {
    expect(overlays).toEqual([...MUNICIPALITIES.map((code) => `municipality-${code}`), 'region']);
  });

  it('the schema validator refuses what the API server would (so passing means something)', () => {
    const [deployment] = byKind(renderKustomization(join(KUBERNETES_DIR, 'overlays/region')), 'Deployment');
    const broken = structuredClone(deployment!) as KubernetesObject & { spec: Record<string, unknown> };
    broken.spec.replicas = 'two';
    expect(() => validate(broken)).toThrow(/replicas/);
    const missing = structuredClone(deployment!) as KubernetesObject & { spec: Record<string, unknown> };
    delete missing.spec.selector;
    expect(() => validate(missing)).toThrow(/selector/);
  });

  describe.each(overlays)('overlay %s', (overlay) => {
    const objects = renderKustomization(join(KUBERNETES_DIR, 'overlays', overlay));
    const deployments = byKind(objects, 'Deployment');
    const namespace = byKind(objects, 'Namespace')[0]?.metadata.name;

    it('renders objects that each validate against the Kubernetes schema', () => {
      expect(objects.length).toBeGreaterThanOrEqual(5);
      for (const object of objects) expect(() => validate(object)).not.toThrow();
    });

    it('puts everything in its own namespace, which enforces the restricted Pod Security Standard', () => {
      expect(namespace).toBe(overlay === 'region' ? 'sodertorn-region' : overlay);
      expect(byKind(objects, 'Namespace')[0]!.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      for (const object of objects.filter((o) => o.kind !== 'Namespace')) expect(object.metadata.namespace).toBe(namespace);
    });

    it('runs every container as non-root, read-only, without capabilities, with requests and limits', () => {
      for (const deployment of deployments) {
        const pod = podOf(deployment);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
        expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
          expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
          expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
          expect(container.image).toBe('registry.sodertorn.example/sodertorn:0.1.0');
        }
      }
    });

    it('gives each municipality a retention job, suspended until configured, that runs `cull` as the owner role, non-root and read-only', () => {
      const jobs = byKind(objects, 'CronJob');
      if (overlay === 'region') return expect(jobs).toEqual([]);
      expect(jobs.map((job) => job.metadata.name)).toEqual(['cull']);
      const spec = jobs[0]!.spec as { suspend: boolean; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: PodSpec } } } };
      expect([spec.suspend, spec.concurrencyPolicy]).toEqual([true, 'Forbid']);
      const pod = spec.jobTemplate.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const [container] = pod.containers;
      expect([container!.args, container!.image]).toEqual([['cull'], 'registry.sodertorn.example/sodertorn:0.1.0']);
      expect(container!.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container!.env).toContainEqual({ name: 'CULL_DATABASE_URL_FILE', value: '/run/secrets/sodertorn-migrate/database-url' });
      expect(pod.volumes).toContainEqual({ name: 'migrate-secrets', secret: { secretName: 'municipality-migrate-secrets', defaultMode: 256 } });
    });

    it('probes /health (alive) and /ready (in the balancer) of every service container on its management port, which needs no client certificate', () => {
      for (const deployment of deployments) {
        for (const container of podOf(deployment).containers) {
          const variable = (name: string) => container.env?.find((v) => v.name === name)?.value;
          const port = (name: string) => String(container.ports?.find((p) => p.name === name)?.containerPort);
          expect([port('https'), port('management')]).toEqual([variable('PORT'), variable('MANAGEMENT_PORT')]);
          expect(container.ports?.map((p) => p.name).sort()).toEqual(['https', 'management']);
          // Plain HTTP, the kubelet's default scheme: the management port serves nothing else (docs/certificates.md, "Probes").
          expect(container.startupProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
          expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
          expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'management' });
        }
      }
    });

    it('drains on SIGTERM as long as readiness takes to notice, and within the grace period', () => {
      for (const deployment of deployments) {
        const pod = podOf(deployment) as PodSpec & { terminationGracePeriodSeconds?: number };
        const container = pod.containers[0]!;
        const setting = (name: string, fallback: number) => Number(container.env?.find((v) => v.name === name)?.value ?? fallback);
        const probe = container.readinessProbe as { periodSeconds: number; failureThreshold: number };
        const [delayMs, timeoutMs] = [setting('DRAIN_DELAY_MS', 0), setting('DRAIN_TIMEOUT_MS', 10_000)];
        expect([deployment.metadata.name, delayMs]).toEqual([deployment.metadata.name, probe.periodSeconds * probe.failureThreshold * 1000]);
        expect(delayMs + timeoutMs).toBeLessThan(pod.terminationGracePeriodSeconds! * 1000);
      }
    });

    it('gives secrets only as files (*_FILE settings pointing into mounted Secrets), never as values', () => {
      for (const deployment of deployments) {
        const pod = podOf(deployment);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          for (const variable of container.env ?? []) {
            if (!variable.name.endsWith('_FILE')) {
              expect(variable.name).not.toMatch(/KEY$|SECRET|TOKEN$|PASSWORD|DATABASE_URL$/);
              continue;
            }
            if (variable.value!.startsWith('/app/')) continue; // shipped in the image (Containerfile), not configuration
            const mount = container.volumeMounts?.find((m) => variable.value!.startsWith(`${m.mountPath}/`));
            expect([variable.name, mount]).toEqual([variable.name, expect.anything()]);
            const volume = pod.volumes?.find((v) => v.name === mount!.name);
            // The registry, the trusted issuers and the web app's organisations are no secrets (URLs, identities, group ids): ConfigMaps.
            if (['REGISTRY_FILE', 'AUTH_TRUSTED_ISSUERS_FILE', 'WEB_ORGANISATIONS_FILE'].includes(variable.name)) expect(volume?.configMap?.name).toBeTruthy();
            else expect([variable.name, volume?.secret]).toEqual([variable.name, { secretName: expect.any(String), defaultMode: 0o400 }]);
          }
        }
      }
    });

    it('migrates first: an init container runs the image with `migrate` for the service it precedes', () => {
      const withDatabase = deployments.filter((d) => !['gateway', 'web'].includes(d.metadata.name));
      expect(withDatabase).toHaveLength(1);
      const pod = podOf(withDatabase[0]!);
      const service = pod.containers[0]!.args![0];
      expect(pod.initContainers?.map((c) => c.args)).toEqual([['migrate', service]]);
      // As docs/database-roles.md says: the owner's URL from the migrate Secret, and the runtime role to grant, from the overlay's settings.
      const [migrate] = pod.initContainers!;
      const settingsName = service === 'regional' ? 'region-settings' : 'municipality-settings';
      expect(migrate!.env).toEqual([
        { name: 'MIGRATION_DATABASE_URL_FILE', value: '/run/secrets/sodertorn-migrate/database-url' },
        { name: 'RUNTIME_ROLE', valueFrom: { configMapKeyRef: { name: settingsName, key: 'RUNTIME_ROLE' } } },
      ]);
      const mount = migrate!.volumeMounts?.find((m) => m.mountPath === '/run/secrets/sodertorn-migrate');
      expect(pod.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe(`${service}-migrate-secrets`);
      const settings = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === settingsName) as KubernetesObject & { data: Record<string, string> };
      expect(settings.data.RUNTIME_ROLE).toBe(service === 'regional' ? 'regional_app' : `m${overlay.slice('municipality-'.length)}_app`);
    });

    if (overlay !== 'region') {
      it('lets only the region’s gateway and regional subgraph reach the shard', () => {
        const [policy] = byKind(objects, 'NetworkPolicy') as (KubernetesObject & { spec: Record<string, unknown> })[];
        expect(policy!.spec).toEqual({
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'municipality' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'sodertorn-region' } },
                  podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['gateway', 'regional'] }] },
                },
              ],
              ports: [{ protocol: 'TCP', port: 8080 }],
            },
          ],
        });
        const settings = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'municipality-settings') as KubernetesObject & {
          data: Record<string, string>;
        };
        expect(settings.data.MUNICIPALITY_CODE).toBe(overlay.replace('municipality-', ''));
      });
    } else {
      it('lets every member’s people and the region’s sign in to the web app, each at an issuer the trust file says vouches for them', () => {
        const configMap = (name: string) =>
          (byKind(objects, 'ConfigMap').find((c) => c.metadata.name === name) as KubernetesObject & { data: Record<string, string> }).data;
        const organisations = JSON.parse(configMap('web-organisations')['organisations.json']!) as { id: string; issuer: string }[];
        const trust = JSON.parse(configMap('trusted-issuers')['trusted-issuers.json']!) as {
          issuers: { issuer: string; vouchesFor: { region?: boolean; municipality?: string } }[];
        };
        expect(organisations.map((o) => o.id)).toEqual([...MUNICIPALITIES, 'region']);
        for (const organisation of organisations) {
          const vouches = trust.issuers.find((i) => i.issuer === organisation.issuer)?.vouchesFor;
          expect([organisation.id, vouches]).toEqual([organisation.id, organisation.id === 'region' ? { region: true } : { municipality: organisation.id }]);
        }
        expect(new URL(configMap('region-settings').WEB_ORIGIN!).protocol).toBe('https:');
      });

      it('names every municipality’s shard in the member registry the gateway and regional subgraph mount', () => {
        const registry = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'region-registry') as KubernetesObject & { data: Record<string, string> };
        const members = JSON.parse(registry.data['municipalities.json']!) as { code: string; url: string; tls?: unknown }[];
        expect(members.map((m) => m.code)).toEqual(MUNICIPALITIES);
        for (const member of members) {
          expect(member.url).toBe(`https://municipality.municipality-${member.code}.svc.cluster.local/graphql`);
          // Each member's own CA (from the member-cas Secret, mounted at /etc/sodertorn/trust) and identity.
          expect(member.tls).toEqual({ caFile: `../trust/municipality-${member.code}-ca.pem`, identity: `${member.code}.municipality.sodertorn.se` });
        }
      });
    }
  });

  // The real renderer, where this machine has it (kubectl ships Kustomize); the checks above do not depend on it.
  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (kubectl ? it : it.skip)('renders exactly as `kubectl kustomize` does', () => {
    const key = (o: KubernetesObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    for (const overlay of overlays) {
      const dir = join(KUBERNETES_DIR, 'overlays', overlay);
      const real = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir]).toString()).map((d) => d.toJS() as KubernetesObject);
      const ours = renderKustomization(dir);
      expect(Object.fromEntries(ours.map((o) => [key(o), o]))).toEqual(Object.fromEntries(real.map((o) => [key(o), o])));
    }
  });
});
