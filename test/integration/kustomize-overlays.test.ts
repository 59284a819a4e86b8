// The environments as `kubectl apply -k knative/overlays/<env>` would apply them: each overlay rendered by
// kubectl's own kustomize from the committed files, checked for what that environment needs, and run through the
// manifest validator (../shared/tools/validate-manifests.mjs, with the official schemas) when it is present.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { stringify } from 'yaml';
import {
  KAFKA_AUTH_SECRET,
  LOCAL_REGISTRY,
  PRODUCTION_REGISTRY,
  serviceAccountOf,
} from '../../dev/deploy/deploy-settings';
import { loadDefinitions } from '../../dev/deploy/render-all';
import { overlayDir, PRODUCTION_PUBLIC_KEY_FILE, type Overlay } from '../../dev/deploy/render-overlays';
import { DEV_JWT_PRIVATE_KEY_PEM, DEV_JWT_PUBLIC_KEY_PEM } from '../../shared/auth/dev-keys';
import { kustomize } from '../support/kustomize';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const validator = path.resolve(root, '../shared/tools/validate-manifests.mjs');
const definitions = loadDefinitions();
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
  spec?: {
    auth?: { secret?: { ref?: { name?: string } } };
    net?: Record<'sasl' | 'tls', Record<string, { secretKeyRef?: { name: string; key: string } } | boolean>>;
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec: {
        serviceAccountName?: string;
        automountServiceAccountToken?: boolean;
        containers: { image: string; imagePullPolicy?: string; env: EnvVar[] }[];
      };
    };
  };
}

/** A copy of what the overlays read (knative/, kubernetes/), so a test can add the operator's files without touching the tree. */
function checkout(t: ExecutionContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'overlays-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  for (const tree of ['knative', 'kubernetes'])
    cpSync(path.join(root, tree), path.join(dir, tree), { recursive: true });
  return dir;
}

const render = (dir: string, overlay: Overlay) => kustomize<Resource>(path.join(dir, overlayDir(overlay)));

const services = (resources: readonly Resource[]) =>
  resources.filter(
    (resource) => resource.apiVersion === 'serving.knative.dev/v1' && resource.kind === 'Service',
  );
const containerOf = (service: Resource) => {
  const container = service.spec?.template?.spec.containers[0];
  if (!container) throw new Error(`${service.metadata.name} has no container`);
  return container;
};

/** The validator on the rendered overlay, beside the committed Kong file and skaffold.yaml. */
async function validate(t: ExecutionContext, resources: readonly Resource[]): Promise<void> {
  if (!existsSync(validator)) {
    t.log(`no ${validator} on this machine: the rendered overlay is not schema-checked here`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'rendered-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  cpSync(path.join(root, 'kong'), path.join(dir, 'kong'), { recursive: true });
  cpSync(path.join(root, 'skaffold.yaml'), path.join(dir, 'skaffold.yaml'));
  mkdirSync(path.join(dir, 'knative'));
  // The validator knows Knative's kinds and the core ones; the NetworkPolicies are checked by the test below, the
  // migration Jobs by kustomize-stages.test.ts.
  const rendered = resources
    .filter((resource) => resource.kind !== 'NetworkPolicy' && resource.kind !== 'Job')
    .map((resource) => stringify(resource))
    .join('---\n');
  writeFileSync(path.join(dir, 'knative', 'rendered.yaml'), rendered);
  const { stdout } = await run('node', [validator, dir]);
  t.regex(stdout, /manifests valid/);
}

test('local: one apply on kind or minikube, namespace first, images as loaded, development secrets, one of each', async (t) => {
  const resources = await render(root, 'local');
  t.is(resources[0]?.kind, 'Namespace', 'the namespace comes first');
  t.is(resources[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  const functions = services(resources);
  t.is(functions.length, definitions.length);
  const secrets = new Map(
    resources.filter((r) => r.kind === 'Secret').map((r) => [r.metadata.name, Object.keys(r.data ?? {})]),
  );
  for (const service of functions) {
    const { name } = service.metadata;
    const container = containerOf(service);
    t.is(container.image, `${LOCAL_REGISTRY}/ecom/${name}`, name);
    t.is(container.imagePullPolicy, 'IfNotPresent', name);
    t.is(service.spec?.template?.metadata?.annotations?.['autoscaling.knative.dev/max-scale'], '1', name);
    t.deepEqual(container.env[0], { name: 'NODE_ENV', value: 'development' }, name);
    // Every secret a function requires exists in the generated Secrets: the revision can start.
    for (const variable of container.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref && !ref.optional)
        t.true(secrets.get(ref.name)?.includes(ref.key), `${name}: ${ref.name}/${ref.key}`);
    }
  }
  const brokerConfig = resources.find(
    (r) => r.kind === 'ConfigMap' && r.metadata.name === 'ecom-broker-config',
  );
  t.is(brokerConfig?.data?.['default.topic.replication.factor'], '1');
  await validate(t, resources);
});

test('production: registry images at the release tag, required secrets, the operator key, Kafka credentials', async (t) => {
  const dir = checkout(t);
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(path.join(dir, overlayDir('production'), PRODUCTION_PUBLIC_KEY_FILE), key);
  const resources = await render(dir, 'production');
  t.is(resources[0]?.kind, 'Namespace', 'the namespace comes first');

  const text = resources.map((resource) => stringify(resource)).join('\n');
  t.false(
    text.includes(DEV_JWT_PUBLIC_KEY_PEM.trim().split('\n')[1] ?? 'unset'),
    'no development public key',
  );
  t.false(
    text.includes(DEV_JWT_PRIVATE_KEY_PEM.trim().split('\n')[1] ?? 'unset'),
    'no development private key',
  );
  t.false(
    resources.some((r) => r.kind === 'Secret'),
    'the operator makes the Secrets',
  );
  for (const config of resources.filter((r) => r.kind === 'ConfigMap' && r.data?.['JWT_PUBLIC_KEY'])) {
    t.is(config.data?.['JWT_PUBLIC_KEY'], key, config.metadata.name);
  }

  for (const service of services(resources)) {
    const { name } = service.metadata;
    const container = containerOf(service);
    t.is(container.image, `${PRODUCTION_REGISTRY}/ecom/${name}:${version}`, name);
    t.deepEqual(container.env[0], { name: 'NODE_ENV', value: 'production' }, name);
    for (const variable of container.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (!ref) continue;
      // Only mail (a feature that is off without it) and Kafka's credentials (none without authentication) may be absent.
      const mayBeAbsent = variable.name === 'SMTP_URL' || ref.name === KAFKA_AUTH_SECRET;
      t.is(ref.optional, mayBeAbsent, `${name}: ${variable.name}`);
    }
  }
  const brokerConfig = resources.find(
    (r) => r.kind === 'ConfigMap' && r.metadata.name === 'ecom-broker-config',
  );
  t.is(brokerConfig?.data?.['auth.secret.ref.name'], KAFKA_AUTH_SECRET);
  const sink = resources.find((r) => r.kind === 'KafkaSink');
  t.is(sink?.spec?.auth?.secret?.ref?.name, KAFKA_AUTH_SECRET);
  // The dead-letter source reads the same Kafka: each key of the same Secret, SASL over TLS as docs/deploy.md makes it.
  const source = resources.find((r) => r.kind === 'KafkaSource');
  const keyOf = (part: 'sasl' | 'tls', field: string) => {
    const value = source?.spec?.net?.[part][field];
    return typeof value === 'object' ? value.secretKeyRef : undefined;
  };
  t.deepEqual(
    [keyOf('sasl', 'user'), keyOf('sasl', 'password'), keyOf('sasl', 'type'), keyOf('tls', 'caCert')],
    ['user', 'password', 'sasl.mechanism', 'ca.crt'].map((key) => ({ name: KAFKA_AUTH_SECRET, key })),
  );
  t.true(source?.spec?.net?.sasl['enable'] === true && source.spec.net.tls['enable'] === true);
  await validate(t, resources);
});

test('production without the operator public key does not render: nothing half-configured is applied', async (t) => {
  const error = await t.throwsAsync(render(root, 'production'));
  t.regex(String((error as { stderr?: string } | undefined)?.stderr), new RegExp(PRODUCTION_PUBLIC_KEY_FILE));
});

test('every function runs as its service account, with no Kubernetes API token mounted', async (t) => {
  const resources = await render(root, 'local');
  const accounts = resources.filter((r) => r.kind === 'ServiceAccount');
  for (const account of accounts) t.false(account.automountServiceAccountToken, account.metadata.name);
  for (const definition of definitions) {
    const service = services(resources).find((candidate) => candidate.metadata.name === definition.name);
    const spec = service?.spec?.template?.spec;
    t.is(spec?.serviceAccountName, serviceAccountOf(definition.service.name), definition.name);
    t.false(spec?.automountServiceAccountToken, definition.name);
    t.true(
      accounts.some((account) => account.metadata.name === spec?.serviceAccountName),
      definition.name,
    );
  }
});

interface Policy {
  kind: string;
  metadata: { name: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: { from: { namespaceSelector?: { matchLabels: Record<string, string> } }[] }[];
    egress?: { to?: object[]; ports?: { port: number }[] }[];
  };
}

for (const overlay of ['local', 'production'] as const) {
  test(`${overlay}: the functions take traffic only from Knative's data plane and reach only their stores, DNS, SMTP and each other`, async (t) => {
    const dir = checkout(t);
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    writeFileSync(path.join(dir, overlayDir('production'), PRODUCTION_PUBLIC_KEY_FILE), key);
    const policies = (await render(dir, overlay)).filter(
      (r) => r.kind === 'NetworkPolicy',
    ) as unknown as Policy[];
    const deny = policies.find((policy) => policy.metadata.name === 'default-deny');
    t.deepEqual(
      deny?.spec,
      { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      'nothing else is let in or out',
    );
    const ingress = policies.flatMap((policy) => policy.spec.ingress ?? []);
    const sources = ingress.flatMap((rule) =>
      rule.from.map((peer) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name']),
    );
    t.deepEqual(sources.sort(), ['knative-eventing', 'knative-serving', 'kourier-system']);
    const egressPorts = policies
      .flatMap((policy) => policy.spec.egress ?? [])
      .flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
    for (const needed of [53, 3306, 9042, 9092, 465, 587])
      t.true(egressPorts.includes(needed), String(needed));
  });
}
