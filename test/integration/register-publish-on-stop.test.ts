// register answers before it publishes (the event is already safe in the outbox); an instance stopped right after
// answering still publishes it before its Kafka producer closes. A file of its own: stopping runs the process's
// shutdown hooks.
import test from 'ava';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { startUserService } from '../support/user-service';

test('an instance stopped right after a registration still publishes its event', async (t) => {
  const api = await startUserService();
  t.teardown(() => api.close());
  const body = { email: 'stopping@example.com', password: 'a long enough password', name: 'S' };
  const response = await api.call('POST', '/v1/auth/register', { body });
  t.is(response.status, 201);
  const { id } = (await response.json()) as { id: string };

  await api.stop(); // what SIGTERM does: stop serving, then close what the functions opened
  const records = await readRecords(testKafka(api.kafkaBrokers), api.eventsTopic, {
    until: (read) => read.some((record) => record.key === id),
  });
  t.true(records.some((record) => record.key === id));
});
