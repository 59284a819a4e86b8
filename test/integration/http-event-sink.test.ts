import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { httpEventSink } from '../../shared/messaging/http-event-sink';
import type { DomainEvent } from '../../shared/domain/domain-event';

const event = (step: number): DomainEvent => ({
  id: `e-${step}`,
  type: 'com.ecom.order.step-recorded',
  source: '/ecom/order/test',
  subject: 'o-1',
  partitionKey: 'o-1',
  time: new Date('2026-11-25T12:00:00.000Z'),
  data: { step },
});

test('events are POSTed in order in binary mode; a refusal fails the publish', async (t) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 202;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const sink = httpEventSink(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ecom/ecom-broker`);

  await sink.publish([event(1), event(2)]);
  t.deepEqual(
    received.map((r) => r.headers['ce-id']),
    ['e-1', 'e-2'],
  );
  t.like(received[0]?.headers, {
    'ce-type': 'com.ecom.order.step-recorded',
    'ce-partitionkey': 'o-1',
    'ce-time': '2026-11-25T12:00:00.000Z',
  });
  t.deepEqual(JSON.parse(received[0]?.body ?? ''), { step: 1 });

  status = 503;
  await t.throwsAsync(sink.publish([event(3)]), { message: /503/ });
});
