import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import type { BrokerLog } from '../../../dev/broker/broker-log';
import type { TriggerConfig } from '../../../dev/broker/trigger-config';
import { consumerGroupOf, triggerHandler, type DeliveryOutcome } from '../../../dev/broker/trigger-handler';
import { memoryLogger } from '../../support/memory/memory-logger';

/** A subscriber on loopback answering every POST with `status`, recording the paths it was called on. */
async function subscriber(status: number) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return { base: new URL(`http://127.0.0.1:${port}`), paths, close };
}

const trigger = (overrides: Partial<TriggerConfig> = {}): TriggerConfig => ({
  namespace: 'ecom',
  name: 'notify-registered',
  broker: 'default',
  filter: { attributes: { type: 'com.ecom.user.registered' } },
  subscriber: { service: 'notify' },
  delivery: {
    retry: 1,
    backoffPolicy: 'linear',
    backoffDelayMs: 10,
    timeoutMs: 2000,
    deadLetterSink: 'ecom-dlq',
  },
  ...overrides,
});

const registered = new CloudEvent({
  id: 'e-1',
  type: 'com.ecom.user.registered',
  source: '/ecom/user/register',
});

/** A broker log that keeps dead letters, refusing the first `failures` of them. */
function deadLetterLog(failures = 0) {
  const kept: CloudEvent<unknown>[] = [];
  let refused = 0;
  const log = {
    keepDeadLetter: (event: CloudEvent<unknown>) => {
      if (refused < failures) {
        refused += 1;
        return Promise.reject(new Error('kafka down'));
      }
      kept.push(event);
      return Promise.resolve();
    },
  } as Pick<BrokerLog, 'keepDeadLetter'> as BrokerLog;
  return { log, kept };
}

function handlerFor(config: TriggerConfig, subscribers: (service: string) => URL | undefined, failures = 0) {
  const { log, kept } = deadLetterLog(failures);
  const outcomes: DeliveryOutcome[] = [];
  const waits: number[] = [];
  const logger = memoryLogger();
  const handle = triggerHandler(config, {
    log,
    subscribers,
    logger,
    onDelivery: (outcome) => outcomes.push(outcome),
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
  });
  return {
    handle: (event: CloudEvent<unknown>) => handle(event, new AbortController().signal),
    kept,
    outcomes,
    waits,
    logger,
  };
}

test('a Trigger consumes as its own group: namespace.name', (t) => {
  t.is(consumerGroupOf(trigger()), 'ecom.notify-registered');
});

test('an event the filter refuses ends at once: no delivery, no outcome', async (t) => {
  const sub = await subscriber(204);
  t.teardown(() => sub.close());
  const { handle, kept, outcomes } = handlerFor(trigger(), () => sub.base);
  await handle(new CloudEvent({ id: 'e-2', type: 'com.ecom.user.logged-in', source: '/x' }));
  t.deepEqual(sub.paths, []);
  t.deepEqual(outcomes, []);
  t.deepEqual(kept, []);
});

test('a delivered event reports its outcome and keeps no dead letter', async (t) => {
  const sub = await subscriber(204);
  t.teardown(() => sub.close());
  const { handle, kept, outcomes, logger } = handlerFor(trigger(), (service) =>
    service === 'notify' ? sub.base : undefined,
  );
  await handle(registered);
  t.deepEqual(outcomes, [
    {
      trigger: 'notify-registered',
      delivered: true,
      eventId: 'e-1',
      eventType: 'com.ecom.user.registered',
      status: 204,
      attempts: 1,
    },
  ]);
  t.deepEqual(sub.paths, ['/']);
  t.deepEqual(kept, []);
  t.like(logger.lines, [
    { level: 'debug', msg: 'event delivered', fields: { trigger: 'ecom/notify-registered', eventId: 'e-1' } },
  ]);
});

test('a relative uri is a path on the Service; an absolute uri without a Service is the target', async (t) => {
  const sub = await subscriber(200);
  t.teardown(() => sub.close());
  const onPath = handlerFor(
    trigger({ subscriber: { service: 'notify', uri: '/hooks/registered' } }),
    () => sub.base,
  );
  await onPath.handle(registered);
  const absolute = handlerFor(
    trigger({ subscriber: { uri: new URL('/abs', sub.base).toString() } }),
    () => undefined,
  );
  await absolute.handle(registered);
  t.deepEqual(sub.paths, ['/hooks/registered', '/abs']);
});

test('a final failure becomes a dead letter naming the Service as Knative addresses it, where the last attempt went, why, and the Trigger', async (t) => {
  const sub = await subscriber(500);
  t.teardown(() => sub.close());
  const { handle, kept, outcomes, logger } = handlerFor(trigger(), () => sub.base);
  await handle(registered);
  t.like(outcomes[0], { delivered: false, status: 500, attempts: 2 });
  t.is(kept.length, 1);
  t.like(kept[0]?.toJSON(), {
    id: 'e-1',
    knativeerrordest: 'http://notify.ecom.svc.cluster.local',
    devbrokertarget: sub.base.toString(),
    knativeerrorcode: '500',
    devbrokertrigger: 'ecom/notify-registered',
    devbrokerattempts: '2',
    devbrokersink: 'ecom-dlq',
  });
  t.like(logger.lines, [
    {
      level: 'warn',
      msg: 'event dead-lettered',
      fields: { trigger: 'ecom/notify-registered', eventId: 'e-1', status: 500, attempts: 2 },
    },
  ]);
});

test('a subscriber that is not running is dead-lettered under its Service name', async (t) => {
  const { handle, kept, outcomes } = handlerFor(trigger(), () => undefined);
  await handle(registered);
  t.like(outcomes[0], { delivered: false, status: 0, attempts: 2 });
  t.like(kept[0]?.toJSON(), {
    knativeerrordest: 'http://notify.ecom.svc.cluster.local',
    devbrokertarget: 'notify',
    knativeerrorcode: '0',
  });
});

test('a dead letter that cannot be kept is tried again each second until it is: no event ends without one', async (t) => {
  const { handle, kept, waits, logger } = handlerFor(
    trigger({ delivery: { ...trigger().delivery, retry: 0 } }),
    () => undefined,
    2,
  );
  await handle(registered);
  t.is(kept.length, 1);
  t.deepEqual(waits, [1000, 1000]);
  const retries = logger.lines.filter((line) => line.msg === 'could not keep a dead letter, trying again');
  t.is(retries.length, 2);
  t.like(retries[0], { level: 'error', fields: { trigger: 'ecom/notify-registered', eventId: 'e-1' } });
});
