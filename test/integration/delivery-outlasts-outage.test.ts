// A Trigger's retries outlast a database failover. With reserve-inventory's MariaDB out of reach for 20 s, longer than
// the five retries the Triggers once had (12.4 s), an order placed meanwhile is reserved once the database is back,
// through real Kafka and the dev broker with knative/'s delivery spec and real timers, and nothing is dead-lettered.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { OrderPlaced } from '../../events/order-placed';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { testKafka } from '../support/kafka-fixture';
import { startProductService } from '../support/product-service';
import { tcpProxy } from '../support/tcp-proxy';
import { startTestBroker } from '../support/test-broker';

const OUTAGE_MS = 20_000;

test('an order placed while the product database is out of reach for 20 s is reserved once it is back, with no dead letter', async (t) => {
  t.timeout(120_000);
  const mysql = loadConfig(MysqlEnv);
  const proxy = await tcpProxy({ host: mysql.MYSQL_HOST, port: mysql.MYSQL_PORT });
  t.teardown(() => proxy.close());
  const api = await startProductService({ MYSQL_PORT: String(proxy.port) });
  t.teardown(() => api.close());
  const broker = await startTestBroker({ topic: api.eventsTopic, functions: [api] });
  t.teardown(() => broker.close());
  const sink = kafkaEventSink(testKafka(), api.eventsTopic);
  t.teardown(() => sink.close());

  const productId = await api.stockedProduct(5);

  proxy.cut();
  const orderId = randomUUID();
  const placed = {
    id: randomUUID(),
    type: OrderPlaced.type,
    source: OrderPlaced.source,
    subject: orderId,
    partitionKey: orderId,
    time: new Date(),
    data: OrderPlaced.data.parse({
      orderId,
      customerId: randomUUID(),
      lines: [{ productId, quantity: 2 }],
      placedAt: new Date().toISOString(),
    }) as Record<string, unknown>,
  };
  const isReservation = (outcome: DeliveryOutcome) =>
    outcome.eventId === placed.id && outcome.trigger === 'reserve-inventory';
  await sink.publish([placed]);
  await sleep(OUTAGE_MS);
  const during = broker.deliveries.filter(isReservation);
  proxy.restore();

  t.deepEqual(during, [], 'still being retried when the database came back');
  const [reserved] = await broker.waitForDeliveries(isReservation, 1, 60_000);
  t.like(reserved, { delivered: true });
  // Attempt 6 came 12.4 s after the first, within the outage; five retries would have ended there.
  t.true((reserved?.attempts ?? 0) > 6, `${String(reserved?.attempts)} attempts`);
  const levels = await api.call('GET', `/v1/products/${productId}/inventory`, {
    token: await api.adminToken(),
  });
  t.like(await levels.json(), { onHand: 5, reserved: 2, available: 3 });
  t.deepEqual(await broker.deadLetters(), []);
});
