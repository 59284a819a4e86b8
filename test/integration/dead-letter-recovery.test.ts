// Nothing is lost when a subscriber cannot take an event for longer than its Trigger retries: through real Kafka,
// the dev broker dead-letters the event, the KafkaSource hands it to count-dead-letters, which keeps it; once the
// subscriber can take it, an admin publishes it again and the saga's step is done.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { OrderPlaced } from '../../events/order-placed';
import { OrderShipped } from '../../events/order-shipped';
import type { DomainEvent } from '../../shared/domain/domain-event';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { testKafka } from '../support/kafka-fixture';
import { scaledSleep } from '../support/scaled-sleep';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';
import { startTestBroker, type TestBroker } from '../support/test-broker';

let api: OrderServiceUnderTest;
let broker: TestBroker;
let admin: string;
test.before(async () => {
  api = await startOrderService();
  broker = await startTestBroker({
    topic: api.eventsTopic,
    functions: [api.products, api],
    readsDeadLetters: true,
    // knative/'s retries take 3.4 minutes to run out; here 10 s.
    sleep: scaledSleep(20),
  });
  admin = await api.products.adminToken();
});
test.after.always(async () => {
  await broker.close();
  await api.close();
});

/** Polls `read` until `done` holds for what it answers (fails after `timeoutMs`). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`not reached in ${String(timeoutMs)} ms: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

/** An order event as the order service publishes it, keyed by the order. */
function orderEvent(definition: typeof OrderPlaced | typeof OrderShipped, orderId: string, data: object) {
  return {
    id: randomUUID(),
    type: definition.type,
    source: definition.source,
    subject: orderId,
    partitionKey: orderId,
    time: new Date(),
    data: definition.data.parse({ orderId, ...data }) as Record<string, unknown>,
  } satisfies DomainEvent;
}

test('an event dead-lettered while its subscriber could not take it is kept, published again, and its step done', async (t) => {
  const productId = await api.products.stockedProduct(5);
  const levels = async () =>
    (await (
      await api.products.call('GET', `/v1/products/${productId}/inventory`, { token: admin })
    ).json()) as { onHand: number; reserved: number };

  // The shipment arrives before its placement: reserve-inventory answers 503 (its reservation is not there yet)
  // until the Trigger's retries run out, and the broker dead-letters it.
  const orderId = randomUUID();
  const sink = kafkaEventSink(testKafka(), api.eventsTopic);
  t.teardown(() => sink.close());
  const shipped = orderEvent(OrderShipped, orderId, { shippedAt: new Date().toISOString() });
  await sink.publish([shipped]);
  const letters = async () =>
    (await (
      await api.call('GET', '/v1/dead-letters?subscriber=reserve-inventory&pending=true&pageSize=100', {
        token: admin,
      })
    ).json()) as { items: { id: string; eventId: string; status?: number }[] };
  const kept = await until(letters, (page) => page.items.some((item) => item.eventId === shipped.id));
  const letter = kept.items.find((item) => item.eventId === shipped.id);
  t.like(letter, { status: 503 });

  // The placement comes: the units are reserved. Then the shipment, published again, takes them out of the stock.
  await sink.publish([
    orderEvent(OrderPlaced, orderId, {
      customerId: randomUUID(),
      lines: [{ productId, quantity: 2 }],
      placedAt: new Date().toISOString(),
    }),
  ]);
  await until(levels, (now) => now.reserved === 2);
  const replayed = await api.call('POST', `/v1/dead-letters/${letter?.id ?? ''}/replay`, { token: admin });
  t.is(replayed.status, 202);
  t.like(await until(levels, (now) => now.reserved === 0), { onHand: 3, reserved: 0 });
  t.false(
    (await letters()).items.some((item) => item.eventId === shipped.id),
    'no longer pending',
  );
});
