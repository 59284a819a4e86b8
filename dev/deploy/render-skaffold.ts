import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import {
  imageOf,
  KEEP_ON_DELETE_LABEL,
  LOCAL_REGISTRY,
  NAMESPACE,
  PRODUCTION_REGISTRY,
} from './deploy-settings';
import { MIGRATION_TIMEOUT_SECONDS, migrationJobFile, migrationJobName } from './migration-job';
import { functionFile, NAMESPACE_FILE, NETWORK_POLICIES_FILE, SYSTEM_FILE } from './render-knative';
import { migrationOverlayDir, OVERLAYS, stageDir, type Overlay } from './render-overlays';
import { servicesOf } from './service-config';
import { yamlFile, type GeneratedFile } from './yaml-file';
import { kongSkaffoldModule, KONG_MODULE } from './kong-skaffold';

export const SKAFFOLD_FILE = 'skaffold.yaml';
const API_VERSION = 'skaffold/v4beta14';

/** The module of the shared resources (namespace, broker, DLQ, ServiceAccounts, ConfigMaps). */
export const SYSTEM_MODULE = 'ecom-system';

/** A service's migration module: builds its migration image and runs its Job to completion. */
export const migrationModuleOf = (service: Service): string => `${service}-migrations`;

/** The module that, under a profile, builds every function's image and rolls the functions' stage. */
export const FUNCTIONS_MODULE = 'ecom-functions';

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
 * alone, the system module and its service's migrations first). Under a profile the functions module deploys the
 * environment's functions with every image, so a function module then has nothing of its own to do.
 */
function functionModule(definition: FunctionDefinition): object {
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: definition.name },
    requires: [{ configs: [SYSTEM_MODULE, migrationModuleOf(definition.service.name)] }],
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
 * A service's migrations, before any of its functions roll (they require this module): its migration image, and its
 * Job (migration-job.ts). A Job's pod template is immutable, so the previous run's Job is deleted before the deploy;
 * after it, the deploy waits for the Job to complete and fails, with the Job's log, when it does not.
 */
function migrationModule(service: Service): object {
  const job = migrationJobName(service);
  const kubectl = `kubectl -n ${NAMESPACE}`;
  const waitOrShowLog =
    `${kubectl} wait --for=condition=complete --timeout=${String(MIGRATION_TIMEOUT_SECONDS + 60)}s job/${job}` +
    ` || { ${kubectl} logs job/${job} --tail=100; exit 1; }`;
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: migrationModuleOf(service) },
    requires: [{ configs: [SYSTEM_MODULE] }],
    build: { artifacts: [artifact(job, imageOf(job))] },
    manifests: { rawYaml: [migrationJobFile(service)] },
    deploy: {
      kubectl: {
        hooks: {
          before: [
            { host: { command: ['kubectl', '-n', NAMESPACE, 'delete', 'job', job, '--ignore-not-found'] } },
          ],
          after: [{ host: { command: ['sh', '-c', waitOrShowLog] } }],
        },
      },
    },
    profiles: OVERLAYS.map((name) => ({
      name,
      build: {
        artifacts: [artifact(job, `${registryOf[name]}/${imageOf(job)}`)],
        ...(name === 'local' ? { local: { push: false } } : {}),
      },
      manifests: { kustomize: { paths: [migrationOverlayDir(name, service)] } },
      patches: [{ op: 'remove', path: '/manifests/rawYaml' }],
    })),
  };
}

/**
 * Every function after every service's migrations (`skaffold run -m ecom-functions`). Under a profile it builds every
 * function's image under the overlay's names and deploys the overlay's functions stage (render-overlays.ts).
 */
function functionsModule(definitions: readonly FunctionDefinition[]): object {
  const services = servicesOf(definitions);
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: FUNCTIONS_MODULE },
    requires: [
      {
        configs: [
          SYSTEM_MODULE,
          ...services.map(migrationModuleOf),
          ...definitions.map((definition) => definition.name),
        ],
      },
    ],
    profiles: OVERLAYS.map((name) => ({
      name,
      build: {
        artifacts: definitions.map((definition) =>
          artifact(definition.name, `${registryOf[name]}/${imageOf(definition.name)}`),
        ),
        // A local cluster (kind, minikube) gets its images loaded, not pulled from a registry.
        ...(name === 'local' ? { local: { push: false } } : {}),
      },
      manifests: { kustomize: { paths: [stageDir(name, 'functions')] } },
      deploy: { kubectl: {} },
    })),
  };
}

/**
 * The system module. Its deletes skip what carries the keep label (the namespace, and so every Secret in it):
 * `skaffold delete` removes what skaffold deployed, never the operator's Secrets. Under `-p local` or
 * `-p production` it deploys the overlay's system stage: everything but the migration Jobs and the functions.
 */
function systemModule(): object {
  const keep = { delete: ['--selector', `${KEEP_ON_DELETE_LABEL}!=true`] };
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: SYSTEM_MODULE },
    manifests: { rawYaml: [NAMESPACE_FILE, SYSTEM_FILE, NETWORK_POLICIES_FILE] },
    deploy: { kubectl: { flags: keep } },
    profiles: OVERLAYS.map((name) => ({
      name,
      manifests: { kustomize: { paths: [stageDir(name, 'system')] } },
      // The stage holds the namespace and the system file already.
      patches: [{ op: 'remove', path: '/manifests/rawYaml' }],
    })),
  };
}

/**
 * skaffold.yaml: the system module, a migration module per service (its Job runs to completion before any of its
 * functions rolls), a module per function (`skaffold run -m register`), the functions module (every function, what
 * a profile rolls), Kong's (`-m kong`), and `ecom`, which requires them all (`skaffold run -m ecom`; a plain
 * `skaffold run` runs every module too). `skaffold dev -p local` runs the local overlay on kind or minikube;
 * `skaffold run -p production` builds, pushes and deploys the production one.
 */
export function renderSkaffold(definitions: readonly FunctionDefinition[]): GeneratedFile {
  const whole = {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: WHOLE_SYSTEM_MODULE },
    requires: [
      {
        configs: [
          SYSTEM_MODULE,
          ...servicesOf(definitions).map(migrationModuleOf),
          ...definitions.map((definition) => definition.name),
          FUNCTIONS_MODULE,
          KONG_MODULE,
        ],
      },
    ],
  };
  return yamlFile(SKAFFOLD_FILE, [
    systemModule(),
    ...servicesOf(definitions).map(migrationModule),
    ...definitions.map(functionModule),
    functionsModule(definitions),
    kongSkaffoldModule(API_VERSION, SYSTEM_MODULE),
    whole,
  ]);
}
