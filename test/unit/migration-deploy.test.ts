// The migration Jobs and the order skaffold rolls them in (issue 14, item 8): per service a Job under the migrating
// user's Secret, and a skaffold module that runs it to completion after the system module and before any of the
// service's functions.
import test from 'ava';
import { parseAllDocuments } from 'yaml';
import {
  imageOf,
  LOCAL_REGISTRY,
  NAMESPACE,
  PRODUCTION_REGISTRY,
  serviceAccountOf,
} from '../../dev/deploy/deploy-settings';
import { migrationJobFile, migrationJobName, migratorSecretName } from '../../dev/deploy/migration-job';
import { loadDefinitions, renderAll } from '../../dev/deploy/render-all';
import { functionFile, SYSTEM_FILE } from '../../dev/deploy/render-knative';
import { migrationOverlayDir } from '../../dev/deploy/render-overlays';
import {
  FUNCTIONS_MODULE,
  migrationModuleOf,
  SKAFFOLD_FILE,
  SYSTEM_MODULE,
  WHOLE_SYSTEM_MODULE,
} from '../../dev/deploy/render-skaffold';
import { serviceConfigMapName, serviceSecretName, servicesOf } from '../../dev/deploy/service-config';

const definitions = loadDefinitions();
const files = renderAll(definitions);
const services = servicesOf(definitions);

function documentsOf(file: string): unknown[] {
  const content = files.find((candidate) => candidate.path === file)?.content;
  if (content === undefined) throw new Error(`${file} is not rendered`);
  return parseAllDocuments(content).map((document) => document.toJS() as unknown);
}

interface Container {
  name: string;
  image: string;
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string } }[];
  securityContext?: object;
}
interface PodSpec {
  restartPolicy?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Container[];
}
interface Job {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { backoffLimit: number; ttlSecondsAfterFinished?: number; template: { spec: PodSpec } };
}
interface KnativeService {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: PodSpec } };
}

test('every service has a migration Job: few tries, cleaned up, restricted like the functions, the migrating user', (t) => {
  t.deepEqual(services, ['order', 'product', 'user']);
  for (const service of services) {
    const [job] = documentsOf(migrationJobFile(service)) as Job[];
    t.is(job?.apiVersion, 'batch/v1', service);
    t.is(job?.kind, 'Job', service);
    t.is(job?.metadata.name, `${service}-migrate`);
    t.is(job?.metadata.namespace, NAMESPACE);
    t.true((job?.spec.backoffLimit ?? 99) <= 3, `${service}: backoffLimit`);
    t.true((job?.spec.ttlSecondsAfterFinished ?? 0) > 0, `${service}: ttlSecondsAfterFinished`);
    const pod = job?.spec.template.spec;
    t.is(pod?.restartPolicy, 'Never');
    t.is(pod?.serviceAccountName, serviceAccountOf(service));
    t.false(pod?.automountServiceAccountToken);
    const [container] = pod?.containers ?? [];
    t.is(container?.image, imageOf(migrationJobName(service)));
    // The same pod security as the service's functions: the namespace enforces `restricted`.
    const fn = definitions.find((definition) => definition.service.name === service);
    const [ksvc] = documentsOf(functionFile(fn?.name ?? '')) as KnativeService[];
    t.deepEqual(container?.securityContext, ksvc?.spec.template.spec.containers[0]?.securityContext);
    // Settings from the service's ConfigMap; the user and its password from the migrator Secret, required.
    t.deepEqual(container?.envFrom, [{ configMapRef: { name: serviceConfigMapName(service) } }]);
    t.deepEqual(container?.env[0], { name: 'NODE_ENV', value: 'production' });
    for (const key of ['MYSQL_USER', 'MYSQL_PASSWORD']) {
      const variable = container?.env.find((candidate) => candidate.name === key);
      t.deepEqual(variable?.valueFrom?.secretKeyRef, {
        name: migratorSecretName(service),
        key,
        optional: false,
      });
    }
  }
});

test('the functions migrate nothing on the cluster and never see the migrating user', (t) => {
  const configMaps = documentsOf(SYSTEM_FILE) as {
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
  }[];
  for (const service of services) {
    const config = configMaps.find(
      (document) => document.kind === 'ConfigMap' && document.metadata.name === serviceConfigMapName(service),
    );
    t.is(config?.data?.['SCHEMA_MIGRATIONS'], 'job', service);
    // The functions' user: a name of its own, not the migrator's.
    t.is(config?.data?.['MYSQL_USER'], `ecom_${service}`);
  }
  for (const definition of definitions) {
    if (!definition.config.env.includes('MYSQL_HOST')) continue;
    const [ksvc] = documentsOf(functionFile(definition.name)) as KnativeService[];
    const env = ksvc?.spec.template.spec.containers[0]?.env ?? [];
    t.true(
      env.some((variable) => variable.name === 'SCHEMA_MIGRATIONS'),
      definition.name,
    );
    for (const variable of env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref?.key.startsWith('MYSQL_'))
        t.is(ref.name, serviceSecretName(definition.service.name), `${definition.name}: ${variable.name}`);
    }
  }
});

interface Hook {
  host: { command: string[] };
}
interface SkaffoldModule {
  metadata: { name: string };
  requires?: { configs: string[] }[];
  build?: { artifacts: { image: string; custom: { buildCommand: string } }[] };
  manifests?: { rawYaml?: string[] };
  deploy?: { kubectl?: { hooks?: { before?: Hook[]; after?: Hook[] } } };
  profiles?: {
    name: string;
    build?: { artifacts: { image: string }[] };
    manifests?: { kustomize?: { paths: string[] } };
  }[];
}
const skaffold = documentsOf(SKAFFOLD_FILE) as SkaffoldModule[];
const moduleNamed = (name: string) => {
  const found = skaffold.find((module) => module.metadata.name === name);
  if (!found) throw new Error(`no skaffold module ${name}`);
  return found;
};

test('a migration module per service builds its image and runs its Job to completion, the previous one deleted first', (t) => {
  for (const service of services) {
    const job = migrationJobName(service);
    const module = moduleNamed(migrationModuleOf(service));
    t.deepEqual(module.requires, [{ configs: [SYSTEM_MODULE] }]);
    t.deepEqual(
      module.build?.artifacts.map((artifact) => [artifact.image, artifact.custom.buildCommand]),
      [[imageOf(job), `sh dev/deploy/build-image.sh ${job}`]],
    );
    t.deepEqual(module.manifests?.rawYaml, [migrationJobFile(service)]);
    const hooks = module.deploy?.kubectl?.hooks;
    t.deepEqual(
      hooks?.before?.map((hook) => hook.host.command.join(' ')),
      [`kubectl -n ${NAMESPACE} delete job ${job} --ignore-not-found`],
    );
    const after = hooks?.after?.map((hook) => hook.host.command.join(' ')) ?? [];
    t.is(after.length, 1);
    t.true(after[0]?.includes(`kubectl -n ${NAMESPACE} wait --for=condition=complete`), after[0]);
    t.true(after[0]?.includes(`job/${job}`), after[0]);
    t.regex(after[0] ?? '', /exit 1/, 'a Job that does not complete fails the deploy');
    for (const [profile, registry] of [
      ['local', LOCAL_REGISTRY],
      ['production', PRODUCTION_REGISTRY],
    ] as const) {
      const own = module.profiles?.find((candidate) => candidate.name === profile);
      t.deepEqual(
        own?.build?.artifacts.map((artifact) => artifact.image),
        [`${registry}/${imageOf(job)}`],
      );
      t.deepEqual(own?.manifests?.kustomize?.paths, [migrationOverlayDir(profile, service)]);
    }
  }
});

/** Every module `name` requires, directly or not. */
function requiredBy(name: string, seen = new Set<string>()): Set<string> {
  for (const required of moduleNamed(name).requires?.flatMap((entry) => entry.configs) ?? []) {
    if (seen.has(required)) continue;
    seen.add(required);
    requiredBy(required, seen);
  }
  return seen;
}

test('skaffold rolls system, then migrations, then functions: in every module, and in the file', (t) => {
  const order = skaffold.map((module) => module.metadata.name);
  const at = (name: string) => order.indexOf(name);
  for (const definition of definitions) {
    const migrations = migrationModuleOf(definition.service.name);
    const required = requiredBy(definition.name);
    t.true(required.has(SYSTEM_MODULE) && required.has(migrations), definition.name);
    t.true(requiredBy(migrations).has(SYSTEM_MODULE), migrations);
    t.false(
      requiredBy(migrations).has(definition.name),
      `${migrations} must not wait for ${definition.name}`,
    );
    t.true(at(SYSTEM_MODULE) < at(migrations) && at(migrations) < at(definition.name), definition.name);
  }
  const functions = requiredBy(FUNCTIONS_MODULE);
  for (const service of services) t.true(functions.has(migrationModuleOf(service)), service);
  const whole = requiredBy(WHOLE_SYSTEM_MODULE);
  for (const name of [SYSTEM_MODULE, FUNCTIONS_MODULE, ...services.map(migrationModuleOf)])
    t.true(whole.has(name), name);
});
