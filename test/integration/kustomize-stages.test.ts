// The overlays as skaffold rolls them (render-overlays.ts): each environment's overlay is the union of its system
// stage, its migration Jobs and its functions stage, each resource in exactly one, so rolling them in that order
// deploys exactly what `kubectl apply -k knative/overlays/<env>` deploys in one go.
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { imageOf, LOCAL_REGISTRY, PRODUCTION_REGISTRY } from '../../dev/deploy/deploy-settings';
import { migrationJobName } from '../../dev/deploy/migration-job';
import { loadDefinitions } from '../../dev/deploy/render-all';
import {
  migrationOverlayDir,
  OVERLAYS,
  overlayDir,
  PRODUCTION_PUBLIC_KEY_FILE,
  stageDir,
  type Overlay,
} from '../../dev/deploy/render-overlays';
import { servicesOf } from '../../dev/deploy/service-config';
import { kustomize } from '../support/kustomize';

const root = path.resolve(__dirname, '../..');
const services = servicesOf(loadDefinitions());

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    template?: {
      spec: {
        containers: {
          image: string;
          imagePullPolicy?: string;
          env: {
            name: string;
            value?: string;
            valueFrom?: { secretKeyRef?: { name: string; key: string } };
          }[];
        }[];
      };
    };
  };
}

/** A copy of what the overlays read, with an operator key for production (kustomize fails without it). */
const checkout = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stages-'));
  for (const tree of ['knative', 'kubernetes'])
    cpSync(path.join(root, tree), path.join(dir, tree), { recursive: true });
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  writeFileSync(path.join(dir, overlayDir('production'), PRODUCTION_PUBLIC_KEY_FILE), key);
  return dir;
})();
test.after.always(() => {
  rmSync(checkout, { recursive: true, force: true });
});

const render = (dir: string) => kustomize<Resource>(path.join(checkout, dir));
const idOf = (resource: Resource) =>
  `${resource.apiVersion} ${resource.kind} ${resource.metadata.namespace ?? ''}/${resource.metadata.name}`;

for (const overlay of OVERLAYS) {
  test(`${overlay}: system, migrations and functions stages partition the overlay`, async (t) => {
    const whole = (await render(overlayDir(overlay))).map(idOf).sort();
    const parts = await Promise.all([
      render(stageDir(overlay, 'system')),
      ...services.map((service) => render(migrationOverlayDir(overlay, service))),
      render(stageDir(overlay, 'functions')),
    ]);
    const union = parts.flatMap((part) => part.map(idOf)).sort();
    t.deepEqual(union, whole, 'every resource of the overlay in exactly one stage');
    const [system, ...rest] = parts;
    const functions = rest.at(-1) ?? [];
    t.deepEqual([...new Set(functions.map((resource) => resource.kind))].sort(), [
      'KafkaSource',
      'PingSource',
      'Service',
      'Trigger',
    ]);
    t.true(system.some((resource) => resource.kind === 'Namespace'));
    t.false(system.some((resource) => resource.kind === 'Job' || resource.apiVersion.startsWith('serving.')));
  });

  test(`${overlay}: each service's Job runs its migration image under the environment's name`, async (t) => {
    await check(t, overlay);
  });
}

async function check(t: ExecutionContext, overlay: Overlay): Promise<void> {
  const resources = await render(overlayDir(overlay));
  const secrets = new Map(
    resources.filter((r) => r.kind === 'Secret').map((r) => [r.metadata.name, Object.keys(r.data ?? {})]),
  );
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const service of services) {
    const name = migrationJobName(service);
    const job = resources.find((resource) => resource.kind === 'Job' && resource.metadata.name === name);
    const container = job?.spec?.template?.spec.containers[0];
    if (overlay === 'local') {
      t.is(container?.image, `${LOCAL_REGISTRY}/${imageOf(name)}`);
      t.is(container?.imagePullPolicy, 'IfNotPresent');
      t.deepEqual(container?.env[0], { name: 'NODE_ENV', value: 'development' });
      // The local overlay makes the migrator Secret too, so the Job can start on kind or minikube.
      for (const variable of container?.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) t.true(secrets.get(ref.name)?.includes(ref.key), `${name}: ${ref.name}/${ref.key}`);
      }
    } else {
      t.is(container?.image, `${PRODUCTION_REGISTRY}/${imageOf(name)}:${version}`);
      t.deepEqual(container?.env[0], { name: 'NODE_ENV', value: 'production' });
      t.false(secrets.size > 0, 'the operator makes the Secrets');
    }
  }
}
