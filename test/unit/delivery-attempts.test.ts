import test from 'ava';
import { DeliveryAttempts } from '../../shared/runtime/delivery-attempts';

test('an event answered with a retried status counts its attempts; any other answer ends the count', (t) => {
  const attempts = new DeliveryAttempts();
  t.is(attempts.attempt('e1'), 1);
  attempts.settled('e1', 1, true);
  t.is(attempts.attempt('e1'), 2);
  attempts.settled('e1', 2, true);
  t.is(attempts.attempt('e1'), 3);
  attempts.settled('e1', 3, false);
  t.is(attempts.attempt('e1'), 1, 'handled (or dead-lettered): a later delivery is a first again');
  t.is(attempts.attempt('e2'), 1, 'another event is unaffected');
});

test('past its capacity the oldest failed event is forgotten first', (t) => {
  const attempts = new DeliveryAttempts(2);
  attempts.settled('a', 1, true);
  attempts.settled('b', 1, true);
  attempts.settled('a', 2, true);
  attempts.settled('c', 1, true);
  t.is(attempts.attempt('b'), 1, 'b was the oldest');
  t.is(attempts.attempt('a'), 3);
  t.is(attempts.attempt('c'), 2);
});
