import test from 'ava';
import { routeKafkaLog } from '../../shared/kafka/kafka-log';

test("kafkajs' levels map to ours", (t) => {
  t.is(routeKafkaLog('Consumer', 1, 'Crash: KafkaJSNumberOfRetriesExceeded'), 'error');
  t.is(routeKafkaLog('Connection', 1, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'), 'error');
  t.is(routeKafkaLog('Consumer', 2, 'The group is rebalancing, re-joining'), 'warn');
  t.is(routeKafkaLog('Consumer', 4, 'Starting'), 'debug');
});

test("a broker's error answer to one request is debug detail: kafkajs retries it or the caller gets it", (t) => {
  t.is(routeKafkaLog('Connection', 1, 'Response CreateTopics(key: 19, version: 3)'), 'debug');
  t.is(routeKafkaLog('Connection', 1, 'Response InitProducerId(key: 22, version: 1)'), 'debug');
});

test("the warning about the idempotent producer's bounded retries is dropped, and only that one", (t) => {
  const warning = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';
  t.is(routeKafkaLog('Producer', 2, warning), undefined);
  t.is(routeKafkaLog('Producer', 2, 'Failed to send messages'), 'warn');
});
