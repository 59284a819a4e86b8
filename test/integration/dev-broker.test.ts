// The dev broker of the local stack, in both of its modes (embedded SQLite log, and real Kafka on topics and
// consumer groups of each test's own, deleted at its end): Knative Kafka-broker semantics for Triggers written as
// they are in knative/ (filters, which answers are retried, backoff, the per-attempt timeout, dead letters, a
// consumer group per Trigger, order per partition key, restart at the committed position), the ingress contract,
// and the Knative manifests it reads.
//
// No test sleeps to let something happen or not happen: each waits on the broker's own signal (`onDelivery`, the
// outcome of each event at each Trigger after its retries). Events of one partition key pass a Trigger one at a
// time, so the outcome of a later event of the key proves the Trigger is done with every earlier one (delivered,
// dead-lettered, or filtered out). The broker's waits (backoff, dead-letter retries) run on a clock the test
// controls, so backoff is asserted exactly and costs no time; the per-attempt timeout stays real.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import { backoffMs } from '../../dev/broker/backoff';
import type { DeadLetter } from '../../dev/broker/dead-letter';
import type { Sleep } from '../../dev/broker/delivery';
import { startDevBroker, type DevBroker, type DevBrokerLogOptions } from '../../dev/broker/dev-broker';
import {
  parseKnativeConfig,
  type KafkaSourceConfig,
  type TriggerConfig,
} from '../../dev/broker/trigger-config';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { createLogger } from '../../shared/log/logger';
import { httpEventSink } from '../../shared/messaging/http-event-sink';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { createSequelize } from '../../shared/sql/create-sequelize';
import { outcomeLog, testClock, withoutRepeats, type OutcomeLog } from '../support/broker-deliveries';
import { collectGarbage } from '../support/broker-gc';
import { brokerKafkaState, type BrokerKafkaState } from '../support/broker-kafka-state';
import { testKafka } from '../support/kafka-fixture';

const logger = createLogger('dev-broker-test', { level: 'silent' });
const FAST = 'retry: 2, backoffPolicy: exponential, backoffDelay: PT0.01S';
const DLQ = '{ ref: { apiVersion: eventing.knative.dev/v1alpha1, kind: KafkaSink, name: ecom-dlq } }';
const TYPE = 'com.ecom.test.happened';
/** Nothing listens on port 1: every attempt there is a refused connection. */
const NOWHERE = new URL('http://127.0.0.1:1/');

// --- fixtures -----------------------------------------------------------------------------------------------

/** One request a subscriber received: the event it carried, its headers, and the path it was sent to. */
interface Received {
  readonly event: CloudEvent<unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly path: string;
}

/** A status to answer with, or 'hang': never answer. */
type Reply = number | 'hang';
/** How a subscriber answers the `attempt`-th delivery of an event (attempt 1, 2… per event id). */
type Answer = (event: CloudEvent<unknown>, attempt: number) => Reply;

/** A function stand-in. A 3xx answer points (Location) to `/followed`, where nothing should ever go. */
async function startSubscriber(t: ExecutionContext, answer: Answer = () => 204) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = HTTP.toEvent<unknown>({ headers: req.headers, body }) as CloudEvent<unknown>;
      received.push({ event, headers: req.headers, path: req.url ?? '' });
      const reply = answer(event, received.filter((r) => r.event.id === event.id).length);
      if (reply === 'hang') return;
      res.writeHead(reply, reply >= 300 && reply < 400 ? { location: '/followed' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const ids = () => received.map((r) => r.event.id);
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    received,
    ids,
  };
}
type Subscriber = Awaited<ReturnType<typeof startSubscriber>>;

/**
 * A Trigger as the generator writes it into knative/ (namespace ecom, broker default). `delivery` is the inside
 * of its delivery spec, next to the dead-letter sink; null writes no delivery spec at all.
 */
function triggerYaml(name: string, service: string, filter: string, delivery: string | null = FAST): string {
  const spec = delivery === null ? '' : `{ ${delivery ? `${delivery}, ` : ''}deadLetterSink: ${DLQ} }`;
  return `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata: { name: ${name}, namespace: ecom, labels: { ecom.dev/function: ${service} } }
spec:
  broker: default
  ${filter}
  subscriber: { ref: { apiVersion: serving.knative.dev/v1, kind: Service, name: ${service} } }
${spec ? `  delivery: ${spec}\n` : ''}`;
}

/** A KafkaSource as the generator writes the dead-letter reader's: a topic into a Service, retries, no dead-letter sink. */
function sourceYaml(name: string, service: string, topic: string): string {
  return `apiVersion: sources.knative.dev/v1beta1
kind: KafkaSource
metadata: { name: ${name}, namespace: ecom }
spec:
  topics: [${topic}]
  consumerGroup: ecom.${name}
  delivery: { ${FAST} }
  sink: { ref: { apiVersion: serving.knative.dev/v1, kind: Service, name: ${service} } }
`;
}

function triggers(...documents: string[]): readonly TriggerConfig[] {
  return parseKnativeConfig([{ name: 'fixture.yaml', text: documents.join('---\n') }]).triggers;
}

type Mode = 'embedded' | 'kafka';

/** Where a test's broker keeps its log: a temporary SQLite folder, or topics and groups of the test's own. */
interface BrokerSetup {
  readonly log: DevBrokerLogOptions;
  readonly consumerGroupPrefix?: string;
  readonly kafka?: BrokerKafkaState;
  readonly dir?: string;
}

async function logFor(t: ExecutionContext, mode: Mode, dlqConfig?: { name: string; value: string }[]) {
  if (mode === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'dev-broker-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    return { log: { kind: 'embedded', dir }, dir } satisfies BrokerSetup;
  }
  const kafka = await brokerKafkaState(t, dlqConfig);
  const { brokers, topic, dlqTopic, consumerGroupPrefix } = kafka;
  return {
    log: { kind: 'kafka', brokers, topic, dlqTopic },
    consumerGroupPrefix,
    kafka,
  } satisfies BrokerSetup;
}

interface TestBroker extends DevBroker {
  /** What the broker reported through `onDelivery`. */
  readonly outcomes: OutcomeLog;
}

/** A broker for one test; its waits run on `sleep` (default: a test clock that ends every wait at once). */
async function startBroker(
  t: ExecutionContext,
  setup: BrokerSetup,
  configured: readonly TriggerConfig[],
  services: Record<string, Pick<Subscriber, 'url'>>,
  options: {
    sleep?: Sleep | 'real';
    onDelivery?: (outcome: DeliveryOutcome) => void;
    sources?: readonly KafkaSourceConfig[];
  } = {},
): Promise<TestBroker> {
  const outcomes = outcomeLog(options.onDelivery);
  const sleep = options.sleep ?? testClock().sleep;
  const broker = await startDevBroker({
    triggers: configured,
    sources: options.sources ?? [],
    log: setup.log,
    consumerGroupPrefix: setup.consumerGroupPrefix,
    subscribers: (service) => services[service]?.url,
    onDelivery: outcomes.onDelivery,
    ...(sleep === 'real' ? {} : { sleep }),
    port: 0,
    logger,
  });
  t.teardown(() => broker.close());
  return { ...broker, outcomes };
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

/** `GET /dead-letters`; call it once the dead letters asked about are settled (see the header). */
async function listedDeadLetters(broker: DevBroker): Promise<DeadLetter[]> {
  const response = await fetch(`${broker.url}/dead-letters`);
  return (await response.json()) as DeadLetter[];
}

/** The fields of an outcome a test states, without the Trigger's name. */
const result = ({ eventId, status, attempts, delivered }: DeliveryOutcome) => ({
  eventId,
  status,
  attempts,
  delivered,
});

/** The first outcome of each event at a Trigger, in the order of `events`. */
function firstOutcomes(broker: TestBroker, trigger: string, events: readonly CloudEvent<unknown>[]) {
  return events.map((e) => {
    const first = broker.outcomes.of(trigger, e.id)[0];
    return first && result(first);
  });
}

/**
 * The events a Trigger reported an outcome for, in order. Within one run the embedded log hands each event to a
 * Trigger once; Kafka may hand the event in hand over again (after a rebalance), which shows as a repeat.
 */
function outcomeIds(mode: Mode, outcomes: readonly DeliveryOutcome[]): string[] {
  const ids = outcomes.map((o) => o.eventId);
  return mode === 'embedded' ? ids : withoutRepeats(ids);
}

/**
 * At-least-once bookkeeping: every request the subscriber got is an attempt the broker reported (the sum of the
 * attempts of each event's outcomes at this Trigger), no more and no fewer.
 */
function accountedFor(t: ExecutionContext, subscriber: Subscriber, outcomes: readonly DeliveryOutcome[]) {
  const reported: Record<string, number> = {};
  for (const o of outcomes) reported[o.eventId] = (reported[o.eventId] ?? 0) + o.attempts;
  const got: Record<string, number> = {};
  for (const id of subscriber.ids()) got[id] = (got[id] ?? 0) + 1;
  t.deepEqual(got, reported, 'each request the subscriber got is an attempt the broker reported');
}

/** A dead letter as a test states it. */
const letterOf = ({ trigger, status, attempts, deadLetterSink, event: e }: DeadLetter) => ({
  trigger,
  eventId: e['id'],
  status,
  attempts,
  deadLetterSink,
});

/**
 * Makes keeping a dead letter fail, until `restore`. Embedded: an SQLite trigger on the dead-letter table refuses
 * inserts. Kafka: the DLQ topic was created refusing records over 128 bytes (see its test), an error the
 * producer does not retry on its own, so it reaches the broker.
 */
function deadLetterFault(t: ExecutionContext, setup: BrokerSetup) {
  const { kafka, dir } = setup;
  if (kafka) {
    return {
      install: () => Promise.resolve(),
      restore: () => kafka.configureDlq([{ name: 'max.message.bytes', value: '1048588' }]),
    };
  }
  let drop: (() => Promise<void>) | undefined;
  return {
    async install() {
      const sqlite = await createSequelize({ dialect: 'sqlite', storage: join(dir ?? '', 'broker.sqlite') });
      t.teardown(() => sqlite.close());
      await sqlite.query(
        `CREATE TRIGGER refuse_dead_letters BEFORE INSERT ON dead_letters
         BEGIN SELECT RAISE(ABORT, 'the dead-letter store is down'); END`,
      );
      drop = async () => {
        await sqlite.query('DROP TRIGGER refuse_dead_letters');
      };
    },
    restore: () => drop?.() ?? Promise.reject(new Error('no fault installed')),
  };
}

// --- both modes ---------------------------------------------------------------------------------------------

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
        triggerYaml('notify', 'notify', 'filter: { attributes: { type: com.ecom.user.registered } }'),
        triggerYaml('orders', 'orders', 'filters: [{ prefix: { type: com.ecom.order. } }]'),
        triggerYaml(
          'shipped',
          'shipped',
          'filters: [{ suffix: { type: .shipped } }, { exact: { source: /ecom/order/ship-order } }]',
        ),
        triggerYaml(
          'others',
          'others',
          'filters: [{ not: { any: [{ prefix: { type: com.ecom.user. } }] } }]',
        ),
        triggerYaml('nobody', 'nobody', 'filter: { attributes: { type: com.ecom.nothing.happened } }'),
      ),
      services,
    );
    const registered = event('com.ecom.user.registered');
    const placed = event('com.ecom.order.placed');
    const shipped = event('com.ecom.order.shipped', 'key-1', { source: '/ecom/order/ship-order' });
    const shippedElsewhere = event('com.ecom.order.shipped');
    // Then, on the same key, an event each Trigger takes: its outcome proves the Trigger passed all of the above.
    const registeredAgain = event('com.ecom.user.registered');
    const shippedAgain = event('com.ecom.order.shipped', 'key-1', { source: '/ecom/order/ship-order' });
    const nothing = event('com.ecom.nothing.happened');
    const sent = [registered, placed, shipped, shippedElsewhere, registeredAgain, shippedAgain, nothing];
    await post(broker.ingressUrl, ...sent);

    const expected = {
      notify: [registered, registeredAgain],
      orders: [placed, shipped, shippedElsewhere, shippedAgain],
      shipped: [shipped, shippedAgain],
      others: [placed, shipped, shippedElsewhere, shippedAgain, nothing],
      nobody: [nothing],
    };
    for (const [trigger, events] of Object.entries(expected)) {
      await broker.outcomes.ended(trigger, events[events.length - 1]?.id ?? '');
    }
    for (const [trigger, events] of Object.entries(expected)) {
      const subscriber = services[trigger as keyof typeof services];
      const ids = events.map((e) => e.id);
      t.deepEqual(withoutRepeats(subscriber.ids()), ids, `${trigger}: its events, in order, and no other`);
      t.deepEqual(
        outcomeIds(mode, broker.outcomes.of(trigger)),
        ids,
        `${trigger}: an outcome for each of its events only`,
      );
      t.deepEqual(
        firstOutcomes(broker, trigger, events),
        events.map((e) => ({ eventId: e.id, status: 204, attempts: 1, delivered: true })),
      );
      accountedFor(t, subscriber, broker.outcomes.of(trigger));
    }

    const [first] = services.notify.received;
    t.is(first?.headers['ce-id'], registered.id);
    t.is(first?.headers['ce-partitionkey'], 'key-1');
    t.regex(String(first?.headers['content-type']), /^application\/json/);
    t.deepEqual(first?.event.data, registered.data);
  });

  test(`${mode}: a 500 is retried with the Trigger's backoff, exactly, then dead-lettered and listed`, async (t) => {
    const timeline: string[] = [];
    const subscriber = await startSubscriber(t, (e, attempt) => {
      const failing = (e.data as { fail?: boolean }).fail === true;
      timeline.push(`${failing ? 'failing' : 'next'}: attempt ${attempt}`);
      return failing ? 500 : 204;
    });
    const clock = testClock((ms) => {
      timeline.push(`wait ${ms} ms`);
    });
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(triggerYaml('failing', 'fn', `filter: { attributes: { type: ${TYPE} } }`)),
      { fn: subscriber },
      { sleep: clock.sleep },
    );
    const failing = event(TYPE, 'key-1', { data: { fail: true } });
    const next = event(TYPE);
    await post(broker.ingressUrl, failing, next);

    await broker.outcomes.ended('failing', next.id);
    // retry 2, exponential, PT0.01S: Knative's Kafka broker waits backoffDelay * 2^retry, 20 ms then 40 ms.
    t.deepEqual(timeline, [
      'failing: attempt 1',
      'wait 20 ms',
      'failing: attempt 2',
      'wait 40 ms',
      'failing: attempt 3',
      'next: attempt 1',
    ]);
    t.deepEqual(broker.outcomes.all.map(result), [
      { eventId: failing.id, status: 500, attempts: 3, delivered: false },
      { eventId: next.id, status: 204, attempts: 1, delivered: true },
    ]);

    // `next` was delivered after `failing`'s dead letter was kept: the list is complete.
    const [letter, ...more] = await listedDeadLetters(broker);
    t.deepEqual(more, []);
    t.like(letter, { trigger: 'ecom/failing', status: 500, attempts: 3, deadLetterSink: 'ecom-dlq' });
    t.like(letter?.event, { id: failing.id, type: TYPE, data: { fail: true } });
    t.false(Object.keys(letter?.event ?? {}).some((key) => key.startsWith('knativeerror')));
    t.deepEqual(await broker.deadLetters(), [letter as DeadLetter]);
  });

  test(`${mode}: a KafkaSource on the dead-letter topic gets each dead letter with Knative's extensions, retried; it writes no dead letter of its own`, async (t) => {
    const setup = await logFor(t, mode);
    const dlqTopic = setup.log.kind === 'kafka' ? setup.log.dlqTopic : 'ecom-dlq';
    const subscriber = await startSubscriber(t, (e) => ((e.data as { fail?: boolean }).fail ? 422 : 204));
    // The reader fails its first attempt at each letter: the source retries it, and keeps nothing when it fails.
    const reader = await startSubscriber(t, (_e, attempt) => (attempt === 1 ? 503 : 204));
    const { sources } = parseKnativeConfig([
      {
        name: 'fixture.yaml',
        text: [
          sourceYaml('letters', 'reader', dlqTopic),
          sourceYaml('elsewhere', 'reader', 'another-topic'),
        ].join('---\n'),
      },
    ]);
    const broker = await startBroker(
      t,
      setup,
      triggers(triggerYaml('refusing', 'fn', `filter: { attributes: { type: ${TYPE} } }`)),
      { fn: subscriber, reader },
      { sources },
    );
    const refused = event(TYPE, 'key-1', { data: { fail: true } });
    const accepted = event(TYPE);
    await post(broker.ingressUrl, refused, accepted);

    t.deepEqual(result(await broker.outcomes.ended('letters', refused.id)), {
      eventId: refused.id,
      status: 204,
      attempts: 2,
      delivered: true,
    });
    t.deepEqual(
      reader.received.map((r) => r.event.id),
      [refused.id, refused.id],
    );
    t.like(reader.received[1]?.event, {
      id: refused.id,
      type: TYPE,
      subject: 'key-1',
      // The Service's address as Knative resolves the Trigger's ref on a cluster: a reader finds the function there.
      knativeerrordest: 'http://fn.ecom.svc.cluster.local',
      knativeerrorcode: '422',
    });
    await broker.outcomes.ended('refusing', accepted.id);
    t.deepEqual(broker.outcomes.of('elsewhere'), [], 'a source of another topic reads nothing here');
    const letters = await listedDeadLetters(broker);
    t.deepEqual(
      letters.map((letter) => [letter.trigger, letter.subscriber]),
      [['ecom/refusing', subscriber.url.toString()]],
      "the reader's failed attempt is no dead letter; the listing says where the attempt went",
    );
  });

  test(`${mode}: 3xx and 4xx other than 404/408/409/429 are dead-lettered at once; 5xx, 404, 408, 409, 429 and an unreachable subscriber are retried`, async (t) => {
    // Knative's Kafka broker (WebClientCloudEventSender.isRetryableStatusCode): only 5xx, 404, 408, 409 and 429
    // are retried, and failures without an answer; any other status from 300 up fails the event at once. A
    // redirect is not followed.
    const plans: Record<string, Reply[]> = {
      'moved-302': [302],
      'moved-307': [307],
      'bad-400': [400],
      'gone-410': [410],
      'missing-404': [404, 204],
      'timeout-408': [408, 204],
      'conflict-409': [409, 204],
      'busy-429': [429, 204],
      'error-500': [500, 204],
      'unavailable-503': [503, 204],
      end: [204],
    };
    const subscriber = await startSubscriber(
      t,
      (e, attempt) => plans[String(e.subject)]?.[attempt - 1] ?? 204,
    );
    const sent = Object.keys(plans).map((subject) => event(TYPE, 'k', { subject }));
    const bySubject = (subject: string) => sent.find((e) => e.subject === subject) as CloudEvent<unknown>;
    // The ghost's subscriber is unreachable until its outcome for bad-400 is in; then `end` reaches `late`.
    const late = await startSubscriber(t);
    let ghostUp = false;
    const ghost = {
      get url() {
        return ghostUp ? late.url : NOWHERE;
      },
    };
    const delivery = 'retry: 3, backoffPolicy: linear, backoffDelay: PT0.01S';
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(
        triggerYaml('statuses', 'fn', `filter: { attributes: { type: ${TYPE} } }`, delivery),
        triggerYaml(
          'ghost',
          'ghost',
          'filters: [{ any: [{ exact: { subject: bad-400 } }, { exact: { subject: end } }] }]',
          delivery,
        ),
      ),
      { fn: subscriber, ghost },
      {
        onDelivery: (outcome) => {
          if (outcome.trigger === 'ghost') ghostUp = true;
        },
      },
    );
    await post(broker.ingressUrl, ...sent);

    await broker.outcomes.ended('statuses', bySubject('end').id);
    await broker.outcomes.ended('ghost', bySubject('end').id);
    const finals = ['moved-302', 'moved-307', 'bad-400', 'gone-410'];
    const statusOf = (subject: string) => Number(subject.slice(-3));
    t.deepEqual(
      firstOutcomes(broker, 'statuses', sent),
      sent.map((e) => {
        const subject = String(e.subject);
        if (finals.includes(subject)) {
          return { eventId: e.id, status: statusOf(subject), attempts: 1, delivered: false };
        }
        return { eventId: e.id, status: 204, attempts: subject === 'end' ? 1 : 2, delivered: true };
      }),
    );
    t.deepEqual(
      withoutRepeats(subscriber.ids()),
      sent.map((e) => e.id),
      'every event, in order',
    );
    t.deepEqual(
      outcomeIds(mode, broker.outcomes.of('statuses')),
      sent.map((e) => e.id),
      'one outcome each',
    );
    accountedFor(t, subscriber, broker.outcomes.of('statuses'));
    t.deepEqual(
      subscriber.received.map((r) => r.path).filter((path) => path !== '/'),
      [],
      'no redirect followed',
    );
    t.deepEqual(firstOutcomes(broker, 'ghost', [bySubject('bad-400'), bySubject('end')]), [
      { eventId: bySubject('bad-400').id, status: 0, attempts: 4, delivered: false },
      { eventId: bySubject('end').id, status: 204, attempts: 1, delivered: true },
    ]);
    t.deepEqual(late.ids(), [bySubject('end').id]);

    // Each Trigger delivered `end` after keeping its dead letters: the list is complete.
    const letters = await listedDeadLetters(broker);
    const byTrigger = (a: { trigger: string }, b: { trigger: string }) => a.trigger.localeCompare(b.trigger);
    t.deepEqual(letters.map(letterOf).sort(byTrigger), [
      {
        trigger: 'ecom/ghost',
        eventId: bySubject('bad-400').id,
        status: 0,
        attempts: 4,
        deadLetterSink: 'ecom-dlq',
      },
      // One partition key: the Trigger kept them in the order of the log.
      ...finals.map((subject) => ({
        trigger: 'ecom/statuses',
        eventId: bySubject(subject).id,
        status: statusOf(subject),
        attempts: 1,
        deadLetterSink: 'ecom-dlq',
      })),
    ]);
    const unreachable = letters.find((l) => l.trigger === 'ecom/ghost');
    t.is(unreachable?.subscriber, NOWHERE.toString());
    t.regex(String(unreachable?.reason), /^unreachable: /);
    t.regex(String(letters.find((l) => l.status === 307)?.reason), /^HTTP 307/);
  });

  test(`${mode}: an attempt the subscriber does not answer within the Trigger's timeout fails and is retried`, async (t) => {
    // Real timers here, and a short timeout; what is asserted is attempts and outcomes, not durations. The heap is
    // collected while the first attempt hangs: the attempt's timeout must not depend on what a collection keeps.
    let collected = false;
    const subscriber = await startSubscriber(t, (e, attempt) => {
      if (e.subject !== 'hung' && attempt > 1) return 204;
      if (!collected) {
        collected = true;
        collectGarbage();
      }
      return 'hang';
    });
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(
        triggerYaml(
          'slow',
          'fn',
          `filter: { attributes: { type: ${TYPE} } }`,
          'retry: 2, backoffPolicy: linear, backoffDelay: PT0.01S, timeout: PT0.5S',
        ),
      ),
      { fn: subscriber },
      { sleep: 'real' },
    );
    // One key: `slowOnce` comes after `hung` is dead-lettered.
    const hung = event(TYPE, 'hung', { partitionkey: 'k' });
    const slowOnce = event(TYPE, 'slow-once', { partitionkey: 'k' });
    await post(broker.ingressUrl, hung, slowOnce);

    await broker.outcomes.ended('slow', slowOnce.id);
    t.deepEqual(outcomeIds(mode, broker.outcomes.of('slow')), [hung.id, slowOnce.id]);
    t.deepEqual(result(broker.outcomes.of('slow', hung.id)[0] as DeliveryOutcome), {
      eventId: hung.id,
      status: 0,
      attempts: 3,
      delivered: false,
    });
    // Its unanswered first attempt failed and another followed, which was accepted. (Whether that one was
    // answered within the timeout depends on the machine's load: 2 attempts, or 3.)
    const slowly = broker.outcomes.of('slow', slowOnce.id)[0];
    t.like(slowly, { status: 204, delivered: true });
    t.true(slowly !== undefined && slowly.attempts >= 2, `attempts: ${String(slowly?.attempts)}`);
    accountedFor(t, subscriber, broker.outcomes.of('slow'));
    const letters = await listedDeadLetters(broker);
    t.deepEqual(letters.map(letterOf), [
      { trigger: 'ecom/slow', eventId: hung.id, status: 0, attempts: 3, deadLetterSink: 'ecom-dlq' },
    ]);
    t.regex(String(letters[0]?.reason), /^unreachable: .*timeout/i);
  });

  test(`${mode}: a Trigger that sets no retry delivers once, then dead-letters`, async (t) => {
    const answer: Answer = (e) => (e.subject === 'doomed' ? 500 : 204);
    const services = { fn: await startSubscriber(t, answer), bare: await startSubscriber(t, answer) };
    const clock = testClock();
    const filter = `filter: { attributes: { type: ${TYPE} } }`;
    const configured = triggers(
      triggerYaml('once', 'fn', filter, 'backoffPolicy: linear, backoffDelay: PT0.01S'),
      triggerYaml('bare', 'bare', filter, null),
    );
    const broker = await startBroker(t, await logFor(t, mode), configured, services, { sleep: clock.sleep });
    const doomed = event(TYPE, 'doomed', { partitionkey: 'k' });
    const next = event(TYPE, 'next', { partitionkey: 'k' });
    await post(broker.ingressUrl, doomed, next);

    for (const trigger of ['once', 'bare']) {
      await broker.outcomes.ended(trigger, next.id);
      t.deepEqual(firstOutcomes(broker, trigger, [doomed, next]), [
        { eventId: doomed.id, status: 500, attempts: 1, delivered: false },
        { eventId: next.id, status: 204, attempts: 1, delivered: true },
      ]);
    }
    for (const trigger of ['once', 'bare']) {
      t.deepEqual(outcomeIds(mode, broker.outcomes.of(trigger)), [doomed.id, next.id]);
    }
    t.deepEqual(clock.waits, [], 'no backoff: there is no retry');
    accountedFor(t, services.fn, broker.outcomes.of('once'));
    accountedFor(t, services.bare, broker.outcomes.of('bare'));
    const letters = await listedDeadLetters(broker);
    t.deepEqual(
      letters.map(letterOf).sort((a, b) => a.trigger.localeCompare(b.trigger)),
      [
        // Without a dead-letter sink, Knative would drop the event; the dev broker still lists it.
        { trigger: 'ecom/bare', eventId: doomed.id, status: 500, attempts: 1, deadLetterSink: null },
        { trigger: 'ecom/once', eventId: doomed.id, status: 500, attempts: 1, deadLetterSink: 'ecom-dlq' },
      ],
    );
  });

  test(`${mode}: a dead letter that cannot be kept is tried again until it is kept, and its key waits meanwhile`, async (t) => {
    // Embedded: the dead-letter table refuses inserts (an SQLite trigger). Kafka: the DLQ topic refuses the
    // record (max.message.bytes), an error the producer does not retry on its own.
    const setup = await logFor(t, mode, [{ name: 'max.message.bytes', value: '128' }]);
    const fault = deadLetterFault(t, setup);
    const timeline: string[] = [];
    const subscriber = await startSubscriber(t, (e, attempt) => {
      timeline.push(`${String(e.subject)}: attempt ${attempt}`);
      return e.subject === 'doomed' ? 500 : 204;
    });
    // retry 0: every wait the broker asks for is a pause before writing the dead letter again.
    const clock = testClock(async (_, index) => {
      timeline.push('dead letter refused');
      if (index === 1) {
        await fault.restore();
        timeline.push('store restored');
      }
    });
    const broker = await startBroker(
      t,
      setup,
      triggers(triggerYaml('keeper', 'fn', `filter: { attributes: { type: ${TYPE} } }`, '')),
      { fn: subscriber },
      { sleep: clock.sleep },
    );
    await fault.install();
    const doomed = event(TYPE, 'doomed', { partitionkey: 'k' });
    const next = event(TYPE, 'next', { partitionkey: 'k' });
    await post(broker.ingressUrl, doomed, next);

    await broker.outcomes.ended('keeper', next.id);
    const restored = timeline.indexOf('store restored');
    t.deepEqual(timeline.slice(0, restored + 1), [
      'doomed: attempt 1',
      'dead letter refused',
      'dead letter refused',
      'store restored',
    ]);
    // Kafka applies the restored setting through its metadata log: a write may still be refused meanwhile.
    const meanwhile = timeline.slice(restored + 1, -1);
    t.true(
      meanwhile.every((entry) => entry === 'dead letter refused') &&
        (mode === 'kafka' || meanwhile.length === 0),
      `between the restore and the next event: ${JSON.stringify(meanwhile)}`,
    );
    t.is(timeline[timeline.length - 1], 'next: attempt 1', 'the key waited for the dead letter to be kept');
    t.true(
      clock.waits.every((ms) => ms > 0 && ms === clock.waits[0]),
      `waits ${JSON.stringify(clock.waits)}`,
    );
    t.deepEqual(broker.outcomes.all.map(result), [
      { eventId: doomed.id, status: 500, attempts: 1, delivered: false },
      { eventId: next.id, status: 204, attempts: 1, delivered: true },
    ]);
    t.deepEqual((await listedDeadLetters(broker)).map(letterOf), [
      { trigger: 'ecom/keeper', eventId: doomed.id, status: 500, attempts: 1, deadLetterSink: 'ecom-dlq' },
    ]);
  });

  test(`${mode}: one Trigger gets each partition key's events in order, retries included`, async (t) => {
    const subscriber = await startSubscriber(t, (e, attempt) =>
      (e.data as { n: number }).n % 3 === 0 && attempt === 1 ? 503 : 204,
    );
    const broker = await startBroker(
      t,
      await logFor(t, mode),
      triggers(triggerYaml('ordered', 'fn', 'filters: [{ prefix: { type: com.ecom.order. } }]')),
      { fn: subscriber },
    );
    const sent = Array.from({ length: 16 }, (_, i) => event('com.ecom.order.placed', `order-${i % 2}`));
    await post(broker.ingressUrl, ...sent);

    for (const e of sent) await broker.outcomes.ended('ordered', e.id);
    t.deepEqual(
      firstOutcomes(broker, 'ordered', sent),
      sent.map((e) => ({
        eventId: e.id,
        status: 204,
        attempts: (e.data as { n: number }).n % 3 === 0 ? 2 : 1,
        delivered: true,
      })),
    );
    for (const key of ['order-0', 'order-1']) {
      const expected = sent.filter((e) => e.subject === key).map((e) => e.id);
      const got = subscriber.received.filter((r) => r.event.subject === key).map((r) => r.event.id);
      t.deepEqual(withoutRepeats(got), expected, `order of ${key}`);
      const reported = broker.outcomes.of('ordered').filter((o) => expected.includes(o.eventId));
      t.deepEqual(outcomeIds(mode, reported), expected, `one outcome each, in the order of ${key}`);
    }
    accountedFor(t, subscriber, broker.outcomes.of('ordered'));
  });

  test(`${mode}: a restart resumes at the committed position`, async (t) => {
    const setup = await logFor(t, mode);
    const configured = triggers(
      triggerYaml('resume', 'fn', '', 'retry: 5, backoffPolicy: exponential, backoffDelay: PT0.05S'),
    );
    const before = await startSubscriber(t, (e) => (e.subject === 'stuck' ? 503 : 204));
    // The first broker's backoff never ends: it is closed while `pending` waits for its retry.
    const holding = testClock(() => 'hold');
    const first = await startBroker(t, setup, configured, { fn: before }, { sleep: holding.sleep });
    // One partition key: `queued` waits behind `pending`. Closing the broker commits the position `acknowledged`
    // reached (positions are committed every second and at close, as Knative's dispatcher does), and no more.
    const acknowledged = event(TYPE, 'done', { partitionkey: 'k' });
    const pending = event(TYPE, 'stuck', { partitionkey: 'k' });
    const queued = event(TYPE, 'later', { partitionkey: 'k' });
    await post(first.ingressUrl, acknowledged, pending, queued);
    await holding.untilWaits(1);
    await first.close(); // `pending`'s outcome is not decided
    t.deepEqual(before.ids(), [acknowledged.id, pending.id]);
    t.deepEqual(first.outcomes.all.map(result), [
      { eventId: acknowledged.id, status: 204, attempts: 1, delivered: true },
    ]);

    const after = await startSubscriber(t);
    const second = await startBroker(t, setup, configured, { fn: after });
    const fresh = event(TYPE, 'fresh', { partitionkey: 'k' });
    await post(second.ingressUrl, fresh);
    await second.outcomes.ended('resume', fresh.id);
    t.deepEqual(withoutRepeats(after.ids()), [pending.id, queued.id, fresh.id]);
    t.deepEqual(outcomeIds(mode, second.outcomes.of('resume')), [pending.id, queued.id, fresh.id]);
    t.deepEqual(
      firstOutcomes(second, 'resume', [pending, queued, fresh]),
      [pending, queued, fresh].map((e) => ({ eventId: e.id, status: 204, attempts: 1, delivered: true })),
    );
    accountedFor(t, after, second.outcomes.of('resume'));
    t.deepEqual(await second.deadLetters(), []);
  });
}

// The exact waits between attempts, on the test's clock: no wall-clock tolerance, and no time spent. (Knative's
// Kafka broker computes the wait before retry n, n = 1 for the first retry, as exponential backoffDelay * 2^n and
// linear backoffDelay * n: see backoff.ts.)
for (const [policy, waits] of [
  ['exponential', [400, 800, 1600, 3200, 6400]],
  ['linear', [200, 400, 600, 800, 1000]],
] as const) {
  test(`retry 5, ${policy}, PT0.2S: waits exactly ${waits.join(', ')} ms between the attempts`, async (t) => {
    const timeline: string[] = [];
    const subscriber = await startSubscriber(t, (e, attempt) => {
      timeline.push(`${String(e.subject)}: attempt ${attempt}`);
      return e.subject === 'failing' ? 503 : 204;
    });
    const clock = testClock((ms) => {
      timeline.push(`wait ${ms} ms`);
    });
    const broker = await startBroker(
      t,
      await logFor(t, 'embedded'),
      triggers(triggerYaml('backoff', 'fn', '', `retry: 5, backoffPolicy: ${policy}, backoffDelay: PT0.2S`)),
      { fn: subscriber },
      { sleep: clock.sleep },
    );
    const failing = event(TYPE, 'failing', { partitionkey: 'k' });
    const next = event(TYPE, 'next', { partitionkey: 'k' });
    await post(broker.ingressUrl, failing, next);

    await broker.outcomes.ended('backoff', next.id);
    t.deepEqual(timeline, [
      'failing: attempt 1',
      ...waits.flatMap((ms, i) => [`wait ${ms} ms`, `failing: attempt ${i + 2}`]),
      'next: attempt 1',
    ]);
    t.deepEqual(clock.waits, waits);
    t.like(broker.outcomes.of('backoff', failing.id)[0], { status: 503, attempts: 6, delivered: false });
  });
}

// --- kafka mode only ----------------------------------------------------------------------------------------

test('kafka: an event the outbox publishes straight to the topic is delivered too, its trace context as ce- headers', async (t) => {
  const subscriber = await startSubscriber(t);
  const setup = await logFor(t, 'kafka');
  if (setup.log.kind !== 'kafka') throw new Error('kafka log expected');
  const broker = await startBroker(
    t,
    setup,
    triggers(triggerYaml('outbox', 'notify', 'filter: { attributes: { type: com.ecom.user.registered } }')),
    { notify: subscriber },
  );
  const sink = kafkaEventSink(testKafka(), setup.log.topic);
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
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    tracestate: 'vendor=opaque',
  };
  await sink.publish([published]);

  t.deepEqual(result(await broker.outcomes.ended('outbox', published.id)), {
    eventId: published.id,
    status: 204,
    attempts: 1,
    delivered: true,
  });
  const [delivery] = subscriber.received;
  t.like(delivery?.event, { id: published.id, source: '/ecom/user/register', partitionkey: userId });
  t.deepEqual(delivery?.event.data, published.data);
  // ce_traceparent / ce_tracestate on the record arrive as the binary-mode HTTP headers, as Knative's broker does.
  t.is(delivery?.headers['ce-traceparent'], published.traceparent);
  t.is(delivery?.headers['ce-tracestate'], published.tracestate);
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
  const outcomes = outcomeLog();
  const started = await startDevBroker({
    knativeDir,
    log: { kind: 'embedded', dir },
    onDelivery: outcomes.onDelivery,
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

  const structuredEvent = event(TYPE);
  const structured = HTTP.structured(structuredEvent);
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
  const registrationId = randomUUID();
  await sink.publish([
    {
      id: registrationId,
      type: 'com.ecom.user.registered',
      source: '/ecom/user/register',
      subject: userId,
      partitionKey: userId,
      time: new Date(),
      data: { userId },
    },
  ]);
  // Both delivered at the first attempt: nothing can have been dead-lettered.
  t.like(await outcomes.ended('notify', structuredEvent.id), { delivered: true, attempts: 1 });
  t.like(await outcomes.ended('notify', registrationId), { delivered: true, attempts: 1 });
  t.like(subscriber.received[1]?.event, {
    type: 'com.ecom.user.registered',
    partitionkey: userId,
    data: { userId },
  });
  t.deepEqual(await listedDeadLetters(started), []);

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
