import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { parseAllDocuments } from 'yaml';
import { matchesFilter, toEventFilter } from '../../dev/broker/event-filter';
import { appendedEvents } from '../../shared/kit/declared-events';
import { TriggerResource } from '../../dev/broker/knative-resources';
import { loadDefinitions, renderAll } from '../../dev/deploy/render-all';
import {
  DATABASE_CONNECTION_BUDGET,
  EVENTS_TOPIC_PARTITIONS,
  imageOf,
  KEEP_ON_DELETE_LABEL,
  MYSQL_MAX_CONNECTIONS,
  RESERVED_CONNECTIONS,
  LOCAL_REGISTRY,
  PRODUCTION_REGISTRY,
} from '../../dev/deploy/deploy-settings';
import { functionFile, NAMESPACE_FILE, SYSTEM_FILE } from '../../dev/deploy/render-knative';
import {
  FUNCTIONS_MODULE,
  migrationModuleOf,
  SKAFFOLD_FILE,
  SYSTEM_MODULE,
} from '../../dev/deploy/render-skaffold';
import { PRODUCTION_PUBLIC_KEY_FILE, stageDir } from '../../dev/deploy/render-overlays';
import { KONG_FILE } from '../../dev/deploy/render-kong';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../shared/grpc/start-grpc-server';
import { DEFAULT_POOL_SIZE } from '../../shared/sql/create-sequelize';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../shared/domain/user/access-token-claims';

const root = path.resolve(__dirname, '../..');
const definitions = loadDefinitions();
// The committed files carry the dev key: render exactly as `npm run generate` does without JWT_PUBLIC_KEY.
const files = renderAll(definitions);
const REGENERATE = 'differs from what the generator renders: run `npm run generate` and commit the result';

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function documentsOf(file: string): unknown[] {
  const content = files.find((candidate) => candidate.path === file)?.content;
  if (content === undefined) throw new Error(`${file} is not rendered`);
  return parseAllDocuments(content).map((document) => document.toJS() as unknown);
}

const manifestsOf = (file: string) => documentsOf(file) as Manifest[];

interface KongRoute {
  name: string;
  methods?: string[];
  paths: string[];
  protocols: string[];
  https_redirect_status_code?: number;
  plugins?: { name: string; config: Record<string, unknown> }[];
}
interface KongConfig {
  _info?: { select_tags?: string[] };
  services: {
    name: string;
    url: string;
    routes: KongRoute[];
    read_timeout?: number;
    write_timeout?: number;
    retries?: number;
    tags?: string[];
  }[];
  consumers: { tags?: string[] }[];
  plugins: { name: string; tags?: string[] }[];
}
const kong = documentsOf(KONG_FILE)[0] as KongConfig;
const routesOf = (fn: string) => kong.services.find((service) => service.name === fn)?.routes ?? [];

test('every generated file means the same to YAML 1.1 (what Kubernetes parses with) as to YAML 1.2', (t) => {
  // A bare `off`, `yes` or `on` is a string in YAML 1.2 but a boolean in 1.1: an env value of KONG_DATABASE=off
  // would reach the API server as `false` and be refused.
  for (const file of files.filter((candidate) => /\.ya?ml$/.test(candidate.path))) {
    const as = (version: '1.1' | '1.2') =>
      parseAllDocuments(file.content, { version }).map((document) => document.toJS() as unknown);
    t.deepEqual(as('1.1'), as('1.2'), file.path);
  }
});

test('the committed deployment files are what the generator renders', (t) => {
  for (const file of files) {
    const target = path.join(root, file.path);
    t.true(existsSync(target), `${file.path} is missing: run \`npm run generate\``);
    if (existsSync(target)) t.is(readFileSync(target, 'utf8'), file.content, `${file.path} ${REGENERATE}`);
  }
  const rendered = new Set(files.map((file) => file.path));
  const extra = readdirSync(path.join(root, 'knative'), { recursive: true, withFileTypes: true })
    // The README is hand-written, the production key the operator's own (never generated).
    .filter((entry) => entry.isFile() && !['README.md', PRODUCTION_PUBLIC_KEY_FILE].includes(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !rendered.has(file));
  t.deepEqual(extra, [], 'knative/ holds files no function renders: run `npm run generate`');
});

test('every function is a Knative Service that scales to zero', (t) => {
  for (const { name } of definitions) {
    const service = manifestsOf(functionFile(name)).find((manifest) => manifest.kind === 'Service');
    const template = service?.spec?.['template'] as Manifest | undefined;
    t.is(service?.metadata.name, name);
    t.is(template?.metadata.annotations?.['autoscaling.knative.dev/min-scale'], '0', name);
  }
});

test('each CloudEvent function has one Trigger: it passes exactly the types the function handles and dead-letters after its retries', (t) => {
  const known = new Set(
    definitions.flatMap(({ trigger, uses }) => [
      ...(trigger.kind === 'cloudevent' ? trigger.eventTypes : []),
      ...appendedEvents(uses).map((event) => event.type),
    ]),
  );
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'cloudevent') continue;
    const triggers = manifestsOf(functionFile(definition.name)).filter((m) => m.kind === 'Trigger');
    // One consumer group per function in the Kafka broker: each group reads every event of the topic.
    t.is(triggers.length, 1, definition.name);
    const [trigger] = triggers;
    if (!trigger) continue;
    // Read as the dev broker reads it (Knative's rules: `filters` wins over `filter.attributes`).
    const filter = toEventFilter(TriggerResource.parse(trigger).spec, definition.name);
    const passes = [...known].filter((type) =>
      matchesFilter(filter, new CloudEvent({ type, source: '/test', id: 'e-1' })),
    );
    t.deepEqual(passes.sort(), [...definition.trigger.eventTypes].sort(), definition.name);
    // What docs/deploy.md promises: 9 retries, exponential from 0.2 s, then the dead-letter KafkaSink.
    t.deepEqual(
      trigger.spec?.['delivery'],
      {
        retry: 9,
        backoffPolicy: 'exponential',
        backoffDelay: 'PT0.2S',
        deadLetterSink: {
          ref: {
            apiVersion: 'eventing.knative.dev/v1alpha1',
            kind: 'KafkaSink',
            name: 'ecom-dlq',
            namespace: 'ecom',
          },
        },
      },
      definition.name,
    );
  }
});

test('the dead letters reach one function: a KafkaSource reads the KafkaSink topic into it, with no dead-letter sink of its own', (t) => {
  const readers = definitions.filter((definition) => definition.trigger.kind === 'dead-letters');
  t.deepEqual(
    readers.map((definition) => definition.name),
    ['count-dead-letters'],
  );
  const sink = manifestsOf(SYSTEM_FILE).find((m) => m.kind === 'KafkaSink');
  for (const { name } of readers) {
    const sources = manifestsOf(functionFile(name)).filter((m) => m.kind === 'KafkaSource');
    t.is(sources.length, 1, name);
    const spec = sources[0]?.spec ?? {};
    t.deepEqual(spec['topics'], [sink?.spec?.['topic']], 'the topic the Triggers dead-letter to');
    t.deepEqual(spec['sink'], { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name } });
    // A dead letter of a dead letter would come back to the same source.
    t.false('deadLetterSink' in (spec['delivery'] as object), name);
    t.true((spec['delivery'] as { retry: number }).retry >= 5, name);
  }
});

test('every route that is not public checks the token at the gateway', (t) => {
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'http') continue;
    const routes = routesOf(definition.name);
    t.is(routes.length, definition.trigger.routes.length, definition.name);
    definition.trigger.routes.forEach((route, index) => {
      const plugins = routes[index]?.plugins?.map((plugin) => plugin.name) ?? [];
      t.is(plugins.includes('jwt'), route.auth !== 'public', `${route.method} ${route.path}`);
      t.true(routes[index]?.methods?.includes(route.method), `${route.method} ${route.path}`);
    });
  }
});

test('every HTTP route is HTTPS only, and redirects plain HTTP with a 308 (method and body kept)', (t) => {
  const routes = kong.services.flatMap((service) => service.routes);
  const http = routes.filter((route) => !route.protocols.some((protocol) => protocol.startsWith('grpc')));
  t.true(http.length > 0);
  for (const route of http) {
    t.deepEqual(route.protocols, ['https'], route.name);
    t.is(route.https_redirect_status_code, 308, route.name);
  }
});

test('login, register and refresh are rate limited per client IP as declared', (t) => {
  const expected = { login: 10, register: 10, 'refresh-token': 30 };
  for (const [fn, minute] of Object.entries(expected)) {
    const limits = routesOf(fn).flatMap((route) => route.plugins ?? []);
    const limit = limits.find((plugin) => plugin.name === 'rate-limiting');
    t.deepEqual(limit?.config, { minute, policy: 'local', limit_by: 'ip' }, fn);
  }
});

test("the gateway caches the catalogue's public reads only, its 200s only, and apart for each token and each If-None-Match", (t) => {
  const cached = kong.services.flatMap((service) =>
    service.routes
      .filter((route) => route.plugins?.some((plugin) => plugin.name === 'proxy-cache'))
      .map((route) => route.name),
  );
  t.deepEqual(cached.sort(), [
    'product-query-get-v1-categories',
    'product-query-get-v1-categories-id',
    'product-query-get-v1-products',
    'product-query-get-v1-products-id',
  ]);
  for (const route of routesOf('product-query')) {
    const cache = route.plugins?.find((plugin) => plugin.name === 'proxy-cache')?.config;
    t.like(cache, { strategy: 'memory', cache_control: true, response_code: [200], request_method: ['GET'] });
    t.deepEqual(cache?.['vary_headers'], ['authorization', 'if-none-match'], route.name);
    t.false(
      route.plugins?.some((plugin) => plugin.name === 'jwt'),
      'a public read: the token is checked by the function',
    );
  }
});

test('Kong paths match a declared path exactly, parameters as one segment', (t) => {
  const [route] = routesOf('change-role');
  const pattern = new RegExp(`^${(route?.paths[0] ?? '').slice(1)}`);
  t.true(pattern.test('/v1/users/42/role'));
  t.false(pattern.test('/v1/users/42/role/x'));
  t.false(pattern.test('/v1/users/4/2/role'));
});

test('every gRPC sidecar listens on an h2c port, is probed over gRPC and routed by Kong', (t) => {
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'grpc') continue;
    const service = manifestsOf(functionFile(definition.name)).find(
      (manifest) => manifest.kind === 'Service',
    );
    const template = service?.spec?.['template'] as { spec: { containers: Record<string, unknown>[] } };
    const [container] = template.spec.containers;
    t.deepEqual((container?.['ports'] as { name: string }[] | undefined)?.[0]?.name, 'h2c', definition.name);
    t.truthy((container?.['readinessProbe'] as { grpc?: unknown } | undefined)?.grpc, definition.name);
    const [route] = routesOf(definition.name);
    t.deepEqual(route?.protocols, ['grpcs'], `${definition.name}: gRPC over TLS only`);
    // The gateway refuses what the sidecar would refuse, before it reaches the cluster.
    const limit = route?.plugins?.find((plugin) => plugin.name === 'request-size-limiting')?.config;
    t.deepEqual(limit, { allowed_payload_size: DEFAULT_MAX_REQUEST_BYTES / 1024, size_unit: 'kilobytes' });
  }
});

test('Kong waits for a function as long as Knative lets it run, and retries only idempotent functions', (t) => {
  for (const definition of definitions) {
    const service = kong.services.find((candidate) => candidate.name === definition.name);
    if (!service) continue;
    const timeoutMs = definition.scaling.timeoutSeconds * 1000;
    t.is(service.read_timeout, timeoutMs, definition.name);
    t.is(service.write_timeout, timeoutMs, definition.name);
    const writes = service.routes.some((route) =>
      (route.methods ?? []).some((method) => ['POST', 'PATCH'].includes(method)),
    );
    if (writes) t.is(service.retries, 0, `${definition.name} takes POST or PATCH: a retry could do it twice`);
    else t.true((service.retries ?? 5) <= 2, definition.name);
  }
  t.is(kong.services.find((service) => service.name === 'place-order')?.retries, 0);
});

test('the gateway refuses a token that claims a longer life than login gives, give or take a minute of clock skew', (t) => {
  const jwtConfigs = kong.services.flatMap((service) =>
    service.routes.flatMap((route) => (route.plugins ?? []).filter((plugin) => plugin.name === 'jwt')),
  );
  t.true(jwtConfigs.length > 0);
  for (const plugin of jwtConfigs) t.is(plugin.config['maximum_expiration'], ACCESS_TOKEN_TTL_SECONDS + 60);
});

test("decK syncs only this shop's entities: the select tag is set and every entity carries it", (t) => {
  t.deepEqual(kong._info?.select_tags, ['ecom']);
  const entities = [
    ...kong.services,
    ...kong.services.flatMap((service) => service.routes),
    ...kong.consumers,
    ...kong.plugins,
  ];
  for (const entity of entities)
    t.true((entity as { tags?: string[] }).tags?.includes('ecom'), JSON.stringify(entity).slice(0, 80));
});

interface SkaffoldModule {
  metadata: { name: string };
  requires?: { configs: string[] }[];
  build?: { artifacts: { image: string }[] };
  manifests?: { rawYaml?: string[]; kustomize?: { paths: string[] } };
  deploy?: { kubectl?: { flags?: { delete?: string[] } } };
  profiles?: {
    name: string;
    build?: { artifacts: { image: string }[] };
    manifests?: { kustomize?: { paths: string[] } };
    patches?: { op: string; path: string }[];
  }[];
}
const skaffold = documentsOf(SKAFFOLD_FILE) as SkaffoldModule[];
const moduleNamed = (name: string) => {
  const found = skaffold.find((module) => module.metadata.name === name);
  if (!found) throw new Error(`no skaffold module ${name}`);
  return found;
};

test('skaffold run -m <function> works on a fresh cluster: every function module requires the system module and its migrations', (t) => {
  for (const { name, service } of definitions) {
    t.deepEqual(
      moduleNamed(name).requires,
      [{ configs: [SYSTEM_MODULE, migrationModuleOf(service.name)] }],
      name,
    );
  }
});

test('skaffold delete keeps the namespace, and so the Secrets the operator made in it', (t) => {
  const system = moduleNamed(SYSTEM_MODULE);
  t.deepEqual(system.deploy?.kubectl?.flags?.delete, ['--selector', `${KEEP_ON_DELETE_LABEL}!=true`]);
  const [namespace] = manifestsOf(NAMESPACE_FILE) as (Manifest & { metadata: { labels?: object } })[];
  t.is(namespace?.kind, 'Namespace');
  t.like(namespace?.metadata.labels, { [KEEP_ON_DELETE_LABEL]: 'true' });
  // Nothing skaffold deploys by default holds a Secret, so no delete can take one.
  const deployed = skaffold.flatMap((module) => module.manifests?.rawYaml ?? []);
  t.true(deployed.includes(NAMESPACE_FILE));
  for (const file of deployed)
    t.false(
      manifestsOf(file).some((manifest) => manifest.kind === 'Secret'),
      file,
    );
});

test("each skaffold profile builds every function under its overlay's names and deploys that overlay's stages", (t) => {
  const system = moduleNamed(SYSTEM_MODULE);
  const functions = moduleNamed(FUNCTIONS_MODULE);
  for (const [profile, registry] of [
    ['local', LOCAL_REGISTRY],
    ['production', PRODUCTION_REGISTRY],
  ] as const) {
    const ownSystem = system.profiles?.find((candidate) => candidate.name === profile);
    t.is(ownSystem?.build, undefined, `${profile}: the system stage has no image`);
    t.deepEqual(ownSystem?.manifests?.kustomize?.paths, [stageDir(profile, 'system')]);
    const own = functions.profiles?.find((candidate) => candidate.name === profile);
    t.deepEqual(
      own?.build?.artifacts.map((artifact) => artifact.image),
      definitions.map(({ name }) => `${registry}/${imageOf(name)}`),
      profile,
    );
    t.deepEqual(own?.manifests?.kustomize?.paths, [stageDir(profile, 'functions')]);
    for (const { name } of definitions) {
      const patches = moduleNamed(name).profiles?.find((candidate) => candidate.name === profile)?.patches;
      t.deepEqual(
        patches?.map((patch) => `${patch.op} ${patch.path}`),
        ['remove /build', 'remove /manifests'],
        `${name} leaves ${profile} to the functions module`,
      );
    }
  }
});

/** The connections one instance of a function holds at most (its pool). */
const poolOf = (definition: (typeof definitions)[number]) => {
  const { database } = definition.uses;
  if (database === undefined) return 0;
  return typeof database === 'object' ? database.pool : DEFAULT_POOL_SIZE;
};

test("every service's functions, all at max-scale with full pools, stay within its MySQL connection budget", (t) => {
  for (const [service, budget] of Object.entries(DATABASE_CONNECTION_BUDGET)) {
    const own = definitions.filter((definition) => definition.service.name === service);
    const worst = own.reduce((sum, definition) => sum + definition.scaling.maxScale * poolOf(definition), 0);
    t.true(
      worst <= budget,
      `${service}: ${String(worst)} connections at max-scale (${own
        .map((d) => `${d.name} ${String(d.scaling.maxScale)} x ${String(poolOf(d))}`)
        .join(', ')}) > its budget of ${String(budget)}`,
    );
  }
  const shares = Object.values(DATABASE_CONNECTION_BUDGET).reduce((sum, share) => sum + share, 0);
  t.true(shares + RESERVED_CONNECTIONS <= MYSQL_MAX_CONNECTIONS);
});

test('a CloudEvent function scales to take one event of every partition at once, and no further', (t) => {
  for (const definition of definitions.filter((d) => d.trigger.kind === 'cloudevent')) {
    const { maxScale, containerConcurrency } = definition.scaling;
    t.true(
      maxScale * containerConcurrency >= EVENTS_TOPIC_PARTITIONS,
      `${definition.name} can take every partition`,
    );
    // One instance beyond what the partitions can fill, to ride out a restart; more would never get an event.
    const needed = Math.ceil(EVENTS_TOPIC_PARTITIONS / containerConcurrency);
    t.true(
      maxScale <= needed + 1,
      `${definition.name}: max-scale ${String(maxScale)} > ${String(needed + 1)}`,
    );
  }
});
