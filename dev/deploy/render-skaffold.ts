import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { imageOf, KEEP_ON_DELETE_LABEL, LOCAL_REGISTRY, PRODUCTION_REGISTRY } from './deploy-settings';
import { functionFile, NAMESPACE_FILE, NETWORK_POLICIES_FILE, SYSTEM_FILE } from './render-knative';
import { OVERLAYS, overlayDir, type Overlay } from './render-overlays';
import { yamlFile, type GeneratedFile } from './yaml-file';

export const SKAFFOLD_FILE = 'skaffold.yaml';
const API_VERSION = 'skaffold/v4beta14';

/** The module of the shared resources (namespace, broker, DLQ, ServiceAccounts, ConfigMaps). */
export const SYSTEM_MODULE = 'ecom-system';

/** The module that requires every other: `skaffold run -m ecom` deploys the whole system. */
export const WHOLE_SYSTEM_MODULE = 'ecom';

/** Where each profile's images go: the overlay's own names, so skaffold puts its tags on exactly those. */
const registryOf: Readonly<Record<Overlay, string>> = {
  local: LOCAL_REGISTRY,
  production: PRODUCTION_REGISTRY,
};

/**
 * A function's image, built from the one Dockerfile with FUNCTION=<fn> (dev/deploy/build-image.sh). Its
 * dependencies are the files its bundle is built from (dev/deploy/image-inputs.ts, from esbuild's metafile), not
 * the whole tree: an edit rebuilds and rolls only the functions it touches.
 */
const artifact = (name: string, image: string) => ({
  image,
  context: '.',
  custom: {
    buildCommand: `sh dev/deploy/build-image.sh ${name}`,
    dependencies: { command: `npx tsx dev/deploy/image-inputs.ts ${name}` },
  },
});

/**
 * One module per function: its image and its own file (`skaffold run -m register` builds and deploys register
 * alone, the system module first). Under a profile the system module deploys the environment's overlay with every
 * image, so a function module then has nothing of its own to do.
 */
function functionModule(definition: FunctionDefinition): object {
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: definition.name },
    requires: [{ configs: [SYSTEM_MODULE] }],
    build: { artifacts: [artifact(definition.name, imageOf(definition.name))] },
    manifests: { rawYaml: [functionFile(definition.name)] },
    deploy: { kubectl: {} },
    profiles: OVERLAYS.map((name) => ({
      name,
      patches: [
        { op: 'remove', path: '/build' },
        { op: 'remove', path: '/manifests' },
      ],
    })),
  };
}

/**
 * The system module. Its deletes skip what carries the keep label (the namespace, and so every Secret in it):
 * `skaffold delete` removes what skaffold deployed, never the operator's Secrets. Under `-p local` or
 * `-p production` it builds every image under the overlay's names and deploys the overlay.
 */
function systemModule(definitions: readonly FunctionDefinition[]): object {
  const keep = { delete: ['--selector', `${KEEP_ON_DELETE_LABEL}!=true`] };
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: SYSTEM_MODULE },
    manifests: { rawYaml: [NAMESPACE_FILE, SYSTEM_FILE, NETWORK_POLICIES_FILE] },
    deploy: { kubectl: { flags: keep } },
    profiles: OVERLAYS.map((name) => ({
      name,
      build: {
        artifacts: definitions.map((definition) =>
          artifact(definition.name, `${registryOf[name]}/${imageOf(definition.name)}`),
        ),
        // A local cluster (kind, minikube) gets its images loaded, not pulled from a registry.
        ...(name === 'local' ? { local: { push: false } } : {}),
      },
      manifests: { kustomize: { paths: [overlayDir(name)] } },
      // The overlay holds the namespace and the system file already.
      patches: [{ op: 'remove', path: '/manifests/rawYaml' }],
    })),
  };
}

/**
 * skaffold.yaml: the system module, a module per function (`skaffold run -m register`), and `ecom`, which requires
 * them all (`skaffold run -m ecom`; a plain `skaffold run` runs every module too). `skaffold dev -p local` runs the
 * local overlay on kind or minikube; `skaffold run -p production` builds, pushes and deploys the production one.
 */
export function renderSkaffold(definitions: readonly FunctionDefinition[]): GeneratedFile {
  const whole = {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: WHOLE_SYSTEM_MODULE },
    requires: [{ configs: [SYSTEM_MODULE, ...definitions.map((definition) => definition.name)] }],
  };
  return yamlFile(SKAFFOLD_FILE, [systemModule(definitions), ...definitions.map(functionModule), whole]);
}
