// Kong as `kubectl apply -k kong` (and skaffold's kong module) deploys it: rendered by kubectl's own kustomize from
// the committed files, and checked for what a DB-less Kong in a Pod Security `restricted` namespace needs.
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parse, parseAllDocuments } from 'yaml';
import {
  KONG_CONFIG_MAP,
  KONG_DIR,
  KONG_IMAGE,
  KONG_PORTS,
  KONG_PRODUCTION_DIR,
  KONG_TLS_SECRET,
} from '../../dev/deploy/kong-deployment';
import { KONG_PRODUCTION_CONFIG, writeProductionKongConfig } from '../../dev/deploy/kong-production';
import { KONG_MODULE } from '../../dev/deploy/kong-skaffold';
import { overlayDir, PRODUCTION_PUBLIC_KEY_FILE } from '../../dev/deploy/render-overlays';
import { DEV_JWT_PUBLIC_KEY_PEM } from '../../shared/auth/dev-keys';
import { NETWORK_POLICIES_FILE } from '../../dev/deploy/render-knative';
import { SKAFFOLD_FILE, SYSTEM_MODULE, WHOLE_SYSTEM_MODULE } from '../../dev/deploy/render-skaffold';
import { KONG_FILE } from '../../dev/deploy/render-kong';
import { kustomize } from '../support/kustomize';

const root = path.resolve(__dirname, '../..');

interface Container {
  name: string;
  image: string;
  env: { name: string; value?: string }[];
  ports: { name: string; containerPort: number }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  securityContext?: Record<string, unknown>;
}
interface Volume {
  name: string;
  emptyDir?: object;
  configMap?: { name: string };
  secret?: { secretName: string; optional?: boolean };
}
interface Resource {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    type?: string;
    replicas?: number;
    selector?: Record<string, string>;
    ports?: { port: number; targetPort: string }[];
    podSelector?: { matchLabels?: Record<string, string> };
    ingress?: { from?: unknown[]; ports?: { port: number }[] }[];
    egress?: { to?: unknown[]; ports?: { port: number }[] }[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        automountServiceAccountToken?: boolean;
        securityContext?: Record<string, unknown>;
        containers: Container[];
        volumes: Volume[];
        hostNetwork?: boolean;
      };
    };
  };
}

const render = (dir: string) => kustomize<Resource>(dir);

const one = (resources: readonly Resource[], kind: string) => {
  const found = resources.filter((resource) => resource.kind === kind);
  if (found.length !== 1) throw new Error(`${String(found.length)} ${kind}s rendered`);
  return found[0] as Resource;
};
const podOf = (resources: readonly Resource[]) => {
  const pod = one(resources, 'Deployment').spec?.template;
  if (!pod) throw new Error('the Deployment has no pod template');
  return pod;
};
const kongContainer = (resources: readonly Resource[]) => {
  const [container, ...others] = podOf(resources).spec.containers;
  if (!container || others.length > 0) throw new Error('Kong runs alone in its pod');
  return container;
};
const envOf = (container: Container) =>
  Object.fromEntries(container.env.map((variable) => [variable.name, variable.value]));

/** A copy of what `kong/Kustomization` reads, so a test can change kong.yml without touching the tree. */
function checkout(t: ExecutionContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kong-kustomize-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  for (const tree of ['kong', 'kubernetes'])
    cpSync(path.join(root, tree), path.join(dir, tree), { recursive: true });
  return dir;
}

test('the ConfigMap holds exactly kong/kong.yml, under a hashed name the Deployment mounts and KONG_DECLARATIVE_CONFIG reads', async (t) => {
  const resources = await render(path.join(root, KONG_DIR));
  const configMap = one(resources, 'ConfigMap');
  t.deepEqual(configMap.data, { 'kong.yml': readFileSync(path.join(root, KONG_FILE), 'utf8') });
  t.regex(configMap.metadata.name, new RegExp(`^${KONG_CONFIG_MAP}-[a-z0-9]{10}$`));
  const volume = podOf(resources).spec.volumes.find((candidate) => candidate.configMap);
  t.is(volume?.configMap?.name, configMap.metadata.name);
  const container = kongContainer(resources);
  const mount = container.volumeMounts.find((candidate) => candidate.name === volume?.name);
  t.true(mount?.readOnly);
  t.like(envOf(container), {
    KONG_DATABASE: 'off',
    KONG_DECLARATIVE_CONFIG: `${mount?.mountPath ?? '?'}/kong.yml`,
  });
  t.is(container.image, KONG_IMAGE);
  for (const resource of resources) t.is(resource.metadata.namespace, 'ecom', resource.kind);
});

test('a changed kong.yml is a new ConfigMap name, so the Deployment rolls (a DB-less Kong never rereads its file)', async (t) => {
  const dir = checkout(t);
  const before = one(await render(path.join(dir, KONG_DIR)), 'ConfigMap').metadata.name;
  appendFileSync(path.join(dir, KONG_FILE), '# changed\n');
  const after = await render(path.join(dir, KONG_DIR));
  t.not(one(after, 'ConfigMap').metadata.name, before);
  t.is(
    podOf(after).spec.volumes.find((volume) => volume.configMap)?.configMap?.name,
    one(after, 'ConfigMap').metadata.name,
  );
});

test('Kong listens for HTTP and HTTPS, is probed on its status listener, and is reached on 80 and 443', async (t) => {
  const resources = await render(path.join(root, KONG_DIR));
  const container = kongContainer(resources);
  const env = envOf(container);
  t.is(env['KONG_PROXY_LISTEN'], `0.0.0.0:${KONG_PORTS.http}, 0.0.0.0:${KONG_PORTS.https} http2 ssl`);
  t.is(env['KONG_STATUS_LISTEN'], `0.0.0.0:${KONG_PORTS.status}`);
  const portNamed = (name: string) => container.ports.find((port) => port.name === name)?.containerPort;
  t.is(portNamed('status'), KONG_PORTS.status);
  t.deepEqual(container.readinessProbe?.httpGet, { path: '/status/ready', port: 'status' });
  t.is(container.livenessProbe?.httpGet?.port, 'status');
  const service = one(resources, 'Service');
  t.is(service.spec?.type, 'LoadBalancer');
  t.deepEqual(
    service.spec?.ports?.map((port) => [port.port, portNamed(port.targetPort)]),
    [
      [80, KONG_PORTS.http],
      [443, KONG_PORTS.https],
    ],
  );
  t.deepEqual(service.spec?.selector, podOf(resources).metadata.labels);
  // Without the TLS Secret (a local cluster), Kong serves its own generated certificate.
  t.false('KONG_SSL_CERT' in env);
});

test("Kong's pod meets Pod Security restricted", async (t) => {
  const resources = await render(path.join(root, KONG_DIR));
  const pod = podOf(resources);
  const container = kongContainer(resources);
  t.like(container.securityContext, {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  // The image names its user `kong`: only a number lets the kubelet check it is not root.
  t.true(Number(container.securityContext?.['runAsUser']) > 0);
  t.false(pod.spec.hostNetwork ?? false);
  t.false(pod.spec.automountServiceAccountToken ?? true);
  t.true(container.ports.every((port) => !('hostPort' in port)));
  // restricted allows these volume types only (of those a Deployment would use).
  for (const volume of pod.spec.volumes)
    t.true(Boolean(volume.emptyDir ?? volume.configMap ?? volume.secret), volume.name);
  // A read-only root: Kong's prefix and /tmp are writable volumes.
  const writable = container.volumeMounts.filter((mount) => !mount.readOnly).map((mount) => mount.mountPath);
  t.true(writable.includes('/tmp'));
  t.true(writable.includes(envOf(container)['KONG_PREFIX'] ?? '?'));
});

/** A checkout with the operator's production public key in place, and kong.yml written with it (kong-production.ts). */
function productionCheckout(t: ExecutionContext): { dir: string; publicKeyPem: string } {
  const dir = checkout(t);
  const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  mkdirSync(path.join(dir, overlayDir('production')), { recursive: true });
  writeFileSync(path.join(dir, overlayDir('production'), PRODUCTION_PUBLIC_KEY_FILE), publicKeyPem);
  writeProductionKongConfig(dir);
  return { dir, publicKeyPem };
}

test('production serves the certificate of the TLS Secret, which must exist, from two replicas', async (t) => {
  const { dir } = productionCheckout(t);
  const resources = await render(path.join(dir, KONG_PRODUCTION_DIR));
  const pod = podOf(resources);
  const volume = pod.spec.volumes.find((candidate) => candidate.secret);
  t.deepEqual(volume?.secret, { secretName: KONG_TLS_SECRET, optional: false });
  const container = kongContainer(resources);
  const mount = container.volumeMounts.find((candidate) => candidate.name === volume?.name);
  t.true(mount?.readOnly);
  t.like(envOf(container), {
    KONG_SSL_CERT: `${mount?.mountPath ?? '?'}/tls.crt`,
    KONG_SSL_CERT_KEY: `${mount?.mountPath ?? '?'}/tls.key`,
    KONG_DATABASE: 'off',
  });
  t.is(one(resources, 'Deployment').spec?.replicas, 2);
});

test("production's kong.yml carries the overlay's token key, never the development one, and kustomize refuses to render without it", async (t) => {
  const { dir, publicKeyPem } = productionCheckout(t);
  const resources = await render(path.join(dir, KONG_PRODUCTION_DIR));
  const configMap = one(resources, 'ConfigMap');
  const kongYml = configMap.data?.['kong.yml'] ?? '';
  t.is(kongYml, readFileSync(path.join(dir, KONG_PRODUCTION_CONFIG), 'utf8'));
  const keys = (
    parse(kongYml) as { consumers: { jwt_secrets: { rsa_public_key: string }[] }[] }
  ).consumers.flatMap((consumer) => consumer.jwt_secrets.map((secret) => secret.rsa_public_key));
  t.deepEqual(keys, [publicKeyPem]);
  t.false(kongYml.includes(DEV_JWT_PUBLIC_KEY_PEM.trim().split('\n')[1] ?? '?'), 'no development key');
  // Otherwise the same file as the committed one, and its own hashed name, which the Deployment mounts.
  const withoutKey = (text: string) =>
    parse(text.replace(/^# .*\n/, ''), (key, value: unknown) =>
      key === 'rsa_public_key' ? 'KEY' : value,
    ) as unknown;
  t.deepEqual(withoutKey(kongYml), withoutKey(readFileSync(path.join(root, KONG_FILE), 'utf8')));
  t.is(
    podOf(resources).spec.volumes.find((volume) => volume.configMap)?.configMap?.name,
    configMap.metadata.name,
  );
  t.regex(configMap.metadata.name, new RegExp(`^${KONG_CONFIG_MAP}-[a-z0-9]{10}$`));
  // Without the operator's key there is no kong.yml to deploy, and the production render fails outright.
  const bare = checkout(t);
  rmSync(path.join(bare, KONG_PRODUCTION_CONFIG), { force: true });
  t.throws(() => writeProductionKongConfig(bare), { message: /jwt-public\.pem is missing/ });
  await t.throwsAsync(render(path.join(bare, KONG_PRODUCTION_DIR)), { message: /kong\.yml/ });
});

test("Kong's NetworkPolicies let clients in on the proxy ports and Kong out to DNS, Kourier and the trace collector alone", async (t) => {
  const resources = await render(path.join(root, KONG_DIR));
  const labels = podOf(resources).metadata.labels;
  const policies = resources.filter((resource) => resource.kind === 'NetworkPolicy');
  const selectsKong = (policy: Resource) =>
    Object.entries(policy.spec?.podSelector?.matchLabels ?? {}).every(
      ([key, value]) => labels[key] === value,
    );
  t.true(policies.length > 0);
  for (const policy of policies) t.true(selectsKong(policy), policy.metadata.name);
  const ingress = policies.flatMap((policy) => policy.spec?.ingress ?? []);
  t.deepEqual(
    ingress.flatMap((rule) => rule.ports?.map((port) => port.port) ?? []),
    [KONG_PORTS.http, KONG_PORTS.https],
  );
  t.true(
    ingress.every((rule) => rule.from === undefined),
    'from anywhere',
  );
  const egress = policies.flatMap((policy) => policy.spec?.egress ?? []);
  t.deepEqual(
    egress[0]?.ports?.map((port) => port.port),
    [53, 53],
  );
  t.deepEqual(egress[1]?.to, [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kourier-system' } } },
  ]);
  t.deepEqual(egress[2], {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
    ports: [{ protocol: 'TCP', port: 4318 }],
  });
  t.is(egress.length, 3);
  // The functions' policies (besides the default deny) do not select Kong: it gets only what its own allow.
  const functionPolicies = parseAllDocuments(readFileSync(path.join(root, NETWORK_POLICIES_FILE), 'utf8'))
    .map((document) => document.toJS() as Resource)
    .filter((policy) => Object.keys(policy.spec?.podSelector?.matchLabels ?? {}).length > 0);
  t.true(functionPolicies.length > 0);
  for (const policy of functionPolicies) t.false(selectsKong(policy), policy.metadata.name);
});

interface SkaffoldModule {
  metadata: { name: string };
  requires?: { configs: string[] }[];
  build?: unknown;
  manifests?: { kustomize?: { paths: string[] } };
  profiles?: {
    name: string;
    manifests?: { kustomize?: { paths: string[] }; hooks?: { before?: unknown[] } };
  }[];
}

test('skaffold: the kong module deploys the kustomization after the system module, and `-m ecom` includes it', (t) => {
  const modules = parseAllDocuments(readFileSync(path.join(root, SKAFFOLD_FILE), 'utf8')).map(
    (document) => document.toJS() as SkaffoldModule,
  );
  const named = (name: string) => modules.find((module) => module.metadata.name === name);
  const kong = named(KONG_MODULE);
  t.deepEqual(kong?.requires, [{ configs: [SYSTEM_MODULE] }]);
  t.is(kong?.build, undefined, "Kong's own image: nothing to build");
  t.deepEqual(kong?.manifests?.kustomize?.paths, [KONG_DIR]);
  const profile = (name: string) =>
    kong?.profiles?.find((candidate) => candidate.name === name)?.manifests?.kustomize?.paths;
  t.deepEqual(profile('local'), [KONG_DIR]);
  t.deepEqual(profile('production'), [KONG_PRODUCTION_DIR]);
  // The production render writes kong.yml with the production key first.
  t.deepEqual(
    kong?.profiles?.find((candidate) => candidate.name === 'production')?.manifests?.hooks?.before,
    [{ host: { command: ['npx', 'tsx', 'dev/deploy/kong-production.ts'] } }],
  );
  t.true(
    named(WHOLE_SYSTEM_MODULE)?.requires?.some((requirement) => requirement.configs.includes(KONG_MODULE)),
  );
  // Every path a profile deploys is a kustomization the tree holds.
  for (const dir of [KONG_DIR, KONG_PRODUCTION_DIR])
    t.is(
      (parse(readFileSync(path.join(root, dir, 'Kustomization'), 'utf8')) as { kind: string }).kind,
      'Kustomization',
    );
});
