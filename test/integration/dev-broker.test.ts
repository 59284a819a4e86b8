// The dev broker of the local stack, in both of its modes (embedded SQLite log, and real Kafka on a fresh topic
// per test): Knative Kafka-broker semantics for Triggers written as they are in knative/ (filters, retries with
// backoff, dead letters, a consumer group per Trigger, order per partition key, restart at the committed
// position), the ingress contract, and the Knative manifests it reads.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import { backoffMs } from '../../dev/broker/backoff';
import type { DeadLetter } from '../../dev/broker/dead-letter';
import { startDevBroker, type DevBroker, type DevBrokerLogOptions } from '../../dev/broker/dev-broker';
import { httpEventSink } from '../../shared/messaging/http-event-sink';
import { parseKnativeConfig, type TriggerConfig } from '../../dev/broker/trigger-config';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { createLogger } from '../../shared/log/logger';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { createTopic, testKafka } from '../support/kafka-fixture';
import { uniqueName } from '../support/unique-name';

const logger = createLogger('dev-broker-test', { level: 'silent' });
const FAST = 'retry: 2, backoffPolicy: exponential, backoffDelay: PT0.01S';
const DLQ = '{ ref: { apiVersion: eventing.knative.dev/v1alpha1, kind: KafkaSink, name: ecom-dlq } }';

// --- fixtures -----------------------------------------------------------------------------------------------

/** One request a subscriber received: the event it carried, its headers, and when (ms). */
interface Received {
  readonly event: CloudEvent<unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

/** A function stand-in: answers each delivery with `answer(event, attempt)` (attempt 1, 2… per event id). */
/** How a subscriber answers the `attempt`-th delivery of an event. */
type Answer = (event: CloudEvent<unknown>, attempt: number) => number;

async function startSubscriber(t: ExecutionContext, answer: Answer = () => 204) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = HTTP.toEvent<unknown>({ headers: req.headers, body }) as CloudEvent<unknown>;
      received.push({ event, headers: req.headers, at: performance.now() });
      res.writeHead(answer(event, received.filter((r) => r.event.id === event.id).length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    received,
    ids: () => received.map((r) => r.event.id),
    async waitFor(count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} deliveries arrived`);
        await sleep(10);
      }
      return received;
    },
  };
}
type Subscriber = Awaited<ReturnType<typeof startSubscriber>>;

/** A Trigger as the generator writes it into knative/ (namespace ecom, broker default). */
function triggerYaml(name: string, service: string, filter: string, delivery = FAST): string {
  return `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata: { name: ${name}, namespace: ecom, labels: { ecom.dev/function: ${service} } }
spec:
  broker: default
  ${filter}
  subscriber: { ref: { apiVersion: serving.knative.dev/v1, kind: Service, name: ${service} } }
  delivery: { ${delivery}, deadLetterSink: ${DLQ} }
`;
}

function triggers(...documents: string[]): readonly TriggerConfig[] {
  return parseKnativeConfig([{ name: 'fixture.yaml', text: documents.join('---\n') }]).triggers;
}

/** A Trigger name no other test (or earlier run: Kafka keeps consumer groups) uses. */
const name = (base: string) => `${base}-${randomBytes(4).toString('hex')}`;

/** Where a test's broker keeps its log: a temporary SQLite folder, or fresh topics on the test Kafka. */
async function logFor(t: ExecutionContext, mode: Mode): Promise<DevBrokerLogOptions> {
  if (mode === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'dev-broker-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    return { kind: 'embedded', dir };
  }
  const topic = await createTopic(testKafka(), 'dev_broker');
  return {
    kind: 'kafka',
    brokers: loadConfig(KafkaEnv).KAFKA_BROKERS,
    topic,
    dlqTopic: uniqueName('dev_dlq'),
  };
}

async function startBroker(
  t: ExecutionContext,
  log: DevBrokerLogOptions,
  configured: readonly TriggerConfig[],
  services: Record<string, Pick<Subscriber, 'url'>>,
): Promise<DevBroker> {
  const broker = await startDevBroker({
    triggers: configured,
    log,
    subscribers: (service) => services[service]?.url,
    port: 0,
    logger,
  });
  t.teardown(() => broker.close());
  return broker;
}

let sequence = 0;
/** An event as our services emit them; `partitionkey` keeps one key's events in order. */
function event(type: string, key = 'key-1', extra: Record<string, unknown> = {}): CloudEvent<unknown> {
  const n = ++sequence;
  return new CloudEvent<unknown>({
    type,
    source: '/ecom/test/fn',
    subject: key,
    partitionkey: key,
    data: { n },
    ...extra,
  });
}

async function post(ingressUrl: string, ...events: CloudEvent<unknown>[]): Promise<void> {
  for (const e of events) {
    const message = HTTP.binary(e);
    const response = await fetch(ingressUrl, {
      method: 'POST',
      headers: message.headers as Record<string, string>,
      body: message.body as string,
    });
    if (response.status !== 202) throw new Error(`ingress answered ${response.status}`);
  }
}

async function deadLettersOf(broker: DevBroker, count: number): Promise<DeadLetter[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const letters = (await (await fetch(`${broker.url}/dead-letters`)).json()) as DeadLetter[];
    if (letters.length >= count || Date.now() > deadline) return letters;
    await sleep(20);
  }
}

// --- both modes ---------------------------------------------------------------------------------------------

type Mode = 'embedded' | 'kafka';

for (const mode of ['embedded', 'kafka'] as const) {
  test(`${mode}: delivers in binary mode to every matching Trigger (each its own group), and to no other`, async (t) => {
    const services = {
      notify: await startSubscriber(t),
      orders: await startSubscriber(t),
      shipped: await startSubscriber(t),
      others: await startSubscriber(t),
      nobody: await startSubscriber(t),
    };
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(
        triggerYaml(name('notify'), 'notify', 'filter: { attributes: { type: com.ecom.user.registered } }'),
        triggerYaml(name('orders'), 'orders', 'filters: [{ prefix: { type: com.ecom.order. } }]'),
        triggerYaml(
          name('shipped'),
          'shipped',
          'filters: [{ suffix: { type: .shipped } }, { exact: { source: /ecom/order/ship-order } }]',
        ),
        triggerYaml(
          name('others'),
          'others',
          'filters: [{ not: { any: [{ prefix: { type: com.ecom.user. } }] } }]',
        ),
        triggerYaml(name('nobody'), 'nobody', 'filter: { attributes: { type: com.ecom.nothing.happened } }'),
      ),
      services,
    );
    const registered = event('com.ecom.user.registered');
    const placed = event('com.ecom.order.placed');
    const shipped = event('com.ecom.order.shipped', 'key-1', { source: '/ecom/order/ship-order' });
    const shippedElsewhere = event('com.ecom.order.shipped');
    await post(broker.ingressUrl, registered, placed, shipped, shippedElsewhere);

    await services.orders.waitFor(3);
    await services.others.waitFor(3);
    await services.notify.waitFor(1);
    await services.shipped.waitFor(1);
    await sleep(300); // time for a wrong delivery to show up
    t.deepEqual(services.notify.ids(), [registered.id]);
    t.deepEqual(services.orders.ids(), [placed.id, shipped.id, shippedElsewhere.id]);
    t.deepEqual(
      services.others.ids(),
      [placed.id, shipped.id, shippedElsewhere.id],
      'same events, separate group',
    );
    t.deepEqual(services.shipped.ids(), [shipped.id]);
    t.is(services.nobody.received.length, 0);

    const [first] = services.notify.received;
    t.is(first?.headers['ce-id'], registered.id);
    t.is(first?.headers['ce-partitionkey'], 'key-1');
    t.regex(String(first?.headers['content-type']), /^application\/json/);
    t.deepEqual(first?.event.data, registered.data);
  });

  test(`${mode}: a 500 is retried with the Trigger's backoff, then dead-lettered and listed`, async (t) => {
    const subscriber = await startSubscriber(t, (e) => ((e.data as { fail?: boolean }).fail ? 500 : 204));
    const trigger = name('failing');
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(triggerYaml(trigger, 'fn', 'filter: { attributes: { type: com.ecom.test.happened } }')),
      { fn: subscriber },
    );
    const failing = event('com.ecom.test.happened', 'key-1', { data: { fail: true } });
    const next = event('com.ecom.test.happened');
    await post(broker.ingressUrl, failing, next);

    const received = await subscriber.waitFor(4);
    t.deepEqual(
      subscriber.ids(),
      [failing.id, failing.id, failing.id, next.id],
      '1 + retry attempts, then on',
    );
    const [a, b, c] = received.map((r) => r.at);
    // Knative's exponential backoff: backoffDelay * 2^retry, 20 ms then 40 ms (timers may fire a little early).
    t.true(b !== undefined && a !== undefined && b - a >= 18, `first wait ${String(b)} - ${String(a)}`);
    t.true(c !== undefined && b !== undefined && c - b >= 38, `second wait ${String(c)} - ${String(b)}`);

    const [letter, ...more] = await deadLettersOf(broker, 1);
    t.is(more.length, 0);
    t.like(letter, { trigger: `ecom/${trigger}`, status: 500, attempts: 3, deadLetterSink: 'ecom-dlq' });
    t.like(letter?.event, { id: failing.id, type: 'com.ecom.test.happened', data: { fail: true } });
    t.false(Object.keys(letter?.event ?? {}).some((key) => key.startsWith('knativeerror')));
    t.deepEqual(await broker.deadLetters(), [letter as DeadLetter]);
  });

  test(`${mode}: a 400 is dead-lettered at once; 404, 429 and an unreachable subscriber are retried`, async (t) => {
    const statuses: Record<string, number[]> = { bad: [400], flaky: [404, 429, 204] };
    const subscriber = await startSubscriber(t, (e, attempt) => {
      const plan = statuses[String(e.subject)] ?? [204];
      return plan[attempt - 1] ?? 204;
    });
    const delivery = 'retry: 3, backoffPolicy: linear, backoffDelay: PT0.01S';
    const filter = (key: string) => `filters: [{ exact: { subject: ${key} } }]`;
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(
        triggerYaml(name('mixed'), 'fn', filter('bad'), delivery),
        triggerYaml(name('mixed'), 'fn', filter('flaky'), delivery),
        triggerYaml(name('ghost'), 'ghost', filter('bad'), delivery),
      ),
      // Nothing listens on port 1: every attempt is a refused connection.
      { fn: subscriber, ghost: { url: new URL('http://127.0.0.1:1/') } },
    );
    const bad = event('com.ecom.test.happened', 'bad');
    const flaky = event('com.ecom.test.happened', 'flaky');
    await post(broker.ingressUrl, bad, flaky);

    await subscriber.waitFor(4);
    const letters = await deadLettersOf(broker, 2);
    await sleep(200);
    t.is(subscriber.received.filter((r) => r.event.id === bad.id).length, 1, 'a 400 is not retried');
    t.is(subscriber.received.filter((r) => r.event.id === flaky.id).length, 3, '404, 429, then accepted');
    t.is(letters.length, 2);
    t.like(
      letters.find((l) => l.status === 400),
      { attempts: 1, event: { id: bad.id } },
    );
    const unreachable = letters.find((l) => l.status === 0);
    t.like(unreachable, { attempts: 4, subscriber: 'http://127.0.0.1:1/', event: { id: bad.id } });
    t.regex(String(unreachable?.reason), /^unreachable: /);
  });

  test(`${mode}: one Trigger gets each partition key's events in order, retries included`, async (t) => {
    const subscriber = await startSubscriber(t, (e, attempt) =>
      (e.data as { n: number }).n % 3 === 0 && attempt === 1 ? 503 : 204,
    );
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(triggerYaml(name('ordered'), 'fn', 'filters: [{ prefix: { type: com.ecom.order. } }]')),
      { fn: subscriber },
    );
    const sent = Array.from({ length: 16 }, (_, i) => event('com.ecom.order.placed', `order-${i % 2}`));
    await post(broker.ingressUrl, ...sent);

    const retried = sent.filter((e) => (e.data as { n: number }).n % 3 === 0).length;
    await subscriber.waitFor(sent.length + retried);
    for (const key of ['order-0', 'order-1']) {
      const expected = sent.filter((e) => e.subject === key).map((e) => e.id);
      const accepted = subscriber.received.filter((r) => r.event.subject === key).map((r) => r.event.id);
      t.deepEqual([...new Set(accepted)], expected, `order of ${key}`);
    }
  });

  test(`${mode}: a restart resumes at the committed position`, async (t) => {
    const log = await logFor(t, mode);
    const configured = triggers(
      triggerYaml(name('resume'), 'fn', '', 'retry: 5, backoffPolicy: exponential, backoffDelay: PT0.05S'),
    );
    const before = await startSubscriber(t, (e) => (e.subject === 'stuck' ? 503 : 204));
    const first = await startBroker(t, log, configured, { fn: before });
    const acknowledged = event('com.ecom.test.happened', 'done');
    // One partition key, so in kafka mode too `queued` waits behind `pending`.
    const pending = event('com.ecom.test.happened', 'stuck', { partitionkey: 'k' });
    const queued = event('com.ecom.test.happened', 'later', { partitionkey: 'k' });
    await post(first.ingressUrl, acknowledged, pending, queued);
    await before.waitFor(2);
    await first.close(); // while `pending` waits for its next retry: its outcome is not decided

    const after = await startSubscriber(t);
    const second = await startBroker(t, log, configured, { fn: after });
    const fresh = event('com.ecom.test.happened', 'fresh', { partitionkey: 'k' });
    await post(second.ingressUrl, fresh);
    await after.waitFor(3);
    await sleep(300);
    t.deepEqual(after.ids(), [pending.id, queued.id, fresh.id]);
    t.deepEqual(await second.deadLetters(), []);
  });
}

// --- kafka mode only ----------------------------------------------------------------------------------------

test('kafka: an event the outbox publishes straight to the topic is delivered too', async (t) => {
  const subscriber = await startSubscriber(t);
  const log = await logFor(t, 'kafka');
  if (log.kind !== 'kafka' || log.topic === undefined) throw new Error('kafka log expected');
  await startBroker(
    t,
    log,
    triggers(
      triggerYaml(name('outbox'), 'notify', 'filter: { attributes: { type: com.ecom.user.registered } }'),
    ),
    {
      notify: subscriber,
    },
  );
  const sink = kafkaEventSink(testKafka(), log.topic);
  t.teardown(() => sink.close());
  const userId = randomUUID();
  const published = {
    id: randomUUID(),
    type: 'com.ecom.user.registered',
    source: '/ecom/user/register',
    subject: userId,
    partitionKey: userId,
    time: new Date(),
    data: { userId, email: 'ada@example.com' },
  };
  await sink.publish([published]);

  const [delivery] = await subscriber.waitFor(1);
  t.like(delivery?.event, { id: published.id, source: '/ecom/user/register', partitionkey: userId });
  t.deepEqual(delivery?.event.data, published.data);
});

// --- ingress, sink and configuration -------------------------------------------------------------------------

test('the ingress takes binary and structured CloudEvents, refuses invalid ones, and lists dead letters', async (t) => {
  const subscriber = await startSubscriber(t);
  const knativeDir = await mkdtemp(join(tmpdir(), 'knative-'));
  t.teardown(() => rm(knativeDir, { recursive: true, force: true }));
  const broker = `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata: { name: default, namespace: ecom, annotations: { kafka.eventing.knative.dev/external.topic: ecom-events } }
`;
  const service =
    'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: notify, namespace: ecom }\n';
  await writeFile(
    join(knativeDir, 'eventing.yaml'),
    [broker, triggerYaml('notify', 'notify', '')].join('---\n'),
  );
  await writeFile(join(knativeDir, 'notify.yaml'), service);
  const dir = await mkdtemp(join(tmpdir(), 'dev-broker-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const started = await startDevBroker({
    knativeDir,
    log: { kind: 'embedded', dir },
    subscribers: (name) => (name === 'notify' ? subscriber.url : undefined),
    port: 0,
    logger,
  });
  t.teardown(() => started.close());
  t.is(started.ingressUrl, `${started.url}/ecom/default`);
  t.deepEqual(
    started.triggers.map((x) => x.name),
    ['notify'],
  );

  const structured = HTTP.structured(event('com.ecom.test.happened'));
  const ok = await fetch(started.ingressUrl, {
    method: 'POST',
    headers: structured.headers as Record<string, string>,
    body: structured.body as string,
  });
  t.is(ok.status, 202);
  const missingSource = await fetch(started.ingressUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-id': '1', 'ce-specversion': '1.0', 'ce-type': 'x' },
    body: '{}',
  });
  t.is(missingSource.status, 400);
  t.like(await missingSource.json(), { code: 'EVENT.INVALID' });
  const batch = await fetch(started.ingressUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify([JSON.parse(String(structured.body))]),
  });
  t.is(batch.status, 400);
  t.is((await fetch(`${started.url}/ecom/other`, { method: 'POST' })).status, 404);
  t.is((await fetch(started.ingressUrl)).status, 405);

  const sink = httpEventSink(started.ingressUrl);
  const userId = randomUUID();
  await sink.publish([
    {
      id: randomUUID(),
      type: 'com.ecom.user.registered',
      source: '/ecom/user/register',
      subject: userId,
      partitionKey: userId,
      time: new Date(),
      data: { userId },
    },
  ]);
  const received = await subscriber.waitFor(2);
  t.like(received[1]?.event, { type: 'com.ecom.user.registered', partitionkey: userId, data: { userId } });
  t.deepEqual(await (await fetch(`${started.url}/dead-letters`)).json(), []);

  await t.throwsAsync(
    startDevBroker({
      triggers: [],
      log: { kind: 'embedded', dir },
      subscribers: () => undefined,
      port: Number(new URL(started.url).port),
      logger,
    }),
    { message: /port is taken/ },
  );
});

test('Knative manifests: Triggers and the Broker are read, other kinds ignored, filters win over filter', (t) => {
  const text = `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata: { name: default, namespace: ecom, annotations: { kafka.eventing.knative.dev/external.topic: ecom-events } }
spec: { delivery: { retry: 4, backoffPolicy: linear, backoffDelay: PT1S } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ecom }
data: { A: b }
---
apiVersion: sources.knative.dev/v1
kind: PingSource
metadata: { name: relay, namespace: ecom }
spec: { schedule: '* * * * *' }
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata: { name: both, namespace: ecom }
spec:
  broker: default
  filter: { attributes: { type: com.ecom.a.b } }
  filters: [{ any: [{ exact: { type: com.ecom.c.d } }, { suffix: { subject: '-7' } }] }]
  subscriber: { ref: { apiVersion: serving.knative.dev/v1, kind: Service, name: fn }, uri: /events }
  delivery: { backoffDelay: PT0.5S, deadLetterSink: { uri: 'http://dlq.example/' } }
`;
  const config = parseKnativeConfig([{ name: 'knative/x.yaml', text }]);
  t.deepEqual(config.brokers, [{ namespace: 'ecom', name: 'default', topic: 'ecom-events' }]);
  const [trigger] = config.triggers;
  t.like(trigger, {
    namespace: 'ecom',
    name: 'both',
    subscriber: { service: 'fn', uri: '/events' },
    // Field by field: the Trigger's delay and sink over the Broker's retry and policy.
    delivery: {
      retry: 4,
      backoffPolicy: 'linear',
      backoffDelayMs: 500,
      deadLetterSink: 'http://dlq.example/',
    },
  });
  t.deepEqual(trigger?.filter, {
    all: [{ any: [{ exact: { type: 'com.ecom.c.d' } }, { suffix: { subject: '-7' } }] }],
  });

  const invalid = text.replace('PT0.5S', '0.5s');
  t.throws(() => parseKnativeConfig([{ name: 'knative/x.yaml', text: invalid }]), {
    message: /knative\/x\.yaml: invalid Trigger both: .*backoffDelay/,
  });
  const cesql = text.replace(
    "[{ any: [{ exact: { type: com.ecom.c.d } }, { suffix: { subject: '-7' } }] }]",
    '[{ cesql: "type = \'x\'" }]',
  );
  t.throws(() => parseKnativeConfig([{ name: 'x.yaml', text: cesql }]), { message: /CESQL/ });
  const twoDialects = text.replace('{ any: [', '{ exact: { type: x }, any: [');
  t.throws(() => parseKnativeConfig([{ name: 'x.yaml', text: twoDialects }]), { message: /exactly one of/ });
});

test("backoff follows Knative's Kafka broker: exponential delay*2^retry, linear delay*retry, capped by backoffMax", (t) => {
  const spec = { retry: 3, backoffPolicy: 'exponential', backoffDelayMs: 10, timeoutMs: 1000 } as const;
  t.deepEqual(
    [1, 2, 3].map((n) => backoffMs(spec, n)),
    [20, 40, 80],
  );
  t.deepEqual(
    [1, 2, 3].map((n) => backoffMs({ ...spec, backoffPolicy: 'linear' }, n)),
    [10, 20, 30],
  );
  t.deepEqual(
    [1, 2, 3].map((n) => backoffMs({ ...spec, backoffMaxMs: 50 }, n)),
    [20, 40, 50],
  );
});
