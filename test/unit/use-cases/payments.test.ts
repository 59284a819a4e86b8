// capture-payment and refund-payment on the in-memory ledger and the simulated gateway's rules.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { capturePayment } from '../../../functions/order/capture-payment/use-case';
import { refundKey, refundPayment } from '../../../functions/order/refund-payment/use-case';
import { isAppError } from '../../../shared/errors/app-error';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryPaymentGateway } from '../../support/memory/memory-payment-gateway';
import { memoryPaymentLedger } from '../../support/memory/memory-payment-ledger';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T10:00:00.000Z';
const TOTAL = { amount: 4200, currency: 'USD' };

function setup(token = 'tok_visa') {
  const orderId = randomUUID();
  const payments = memoryPaymentLedger();
  payments.chargesDue.set(orderId, { token, total: TOTAL });
  const gateway = memoryPaymentGateway();
  const logger = memoryLogger();
  const ports = { payments, gateway, now: testClock(NOW).now, logger };
  return { orderId, payments, gateway, logger, ports };
}

const eventsOf = (payments: ReturnType<typeof memoryPaymentLedger>) =>
  payments.outbox.events.map(({ type, source, subject, partitionKey, data }) => ({
    type,
    source,
    subject,
    partitionKey,
    data,
  }));

test("tok_visa: the order's stored total charged once by the order id, recorded, the token deleted, com.ecom.payment.captured", async (t) => {
  const { orderId, payments, gateway, ports } = setup();
  t.is(await capturePayment(ports, orderId), 'processed');
  const record = payments.records.get(orderId);
  t.like(record, { status: 'CAPTURED', amount: TOTAL, settledAt: new Date(NOW) });
  t.regex(record?.reference ?? '', /^ch_sim_[0-9a-f]{24}$/);
  t.false(payments.chargesDue.has(orderId), 'the token is not kept once the charge settled');
  t.deepEqual(gateway.calls, [{ kind: 'charge', idempotencyKey: orderId }]);
  t.deepEqual(eventsOf(payments), [
    {
      type: 'com.ecom.payment.captured',
      source: '/ecom/order/capture-payment',
      subject: orderId,
      partitionKey: orderId,
      data: { orderId, amount: TOTAL, reference: record?.reference, capturedAt: NOW },
    },
  ]);
});

test('a redelivered inventory.reserved charges nothing more and emits nothing more', async (t) => {
  const { orderId, payments, gateway, ports } = setup();
  await capturePayment(ports, orderId);
  t.is(await capturePayment(ports, orderId), 'duplicate');
  t.is(gateway.calls.length, 1);
  t.is(payments.outbox.events.length, 1);
});

test('two deliveries at once: the gateway is asked with one key, one outcome is recorded, one event', async (t) => {
  const { orderId, payments, gateway, ports } = setup();
  const outcomes = await Promise.all([capturePayment(ports, orderId), capturePayment(ports, orderId)]);
  t.deepEqual([...outcomes].sort(), ['duplicate', 'processed']);
  t.deepEqual(new Set(gateway.calls.map((call) => call.idempotencyKey)), new Set([orderId]));
  t.is(payments.outbox.events.length, 1);
});

for (const [token, declineCode] of [
  ['tok_chargeDeclined', 'card_declined'],
  ['tok_insufficientFunds', 'insufficient_funds'],
  ['tok_madeUp', 'invalid_token'],
] as const) {
  test(`${token}: declined as ${declineCode}, recorded FAILED, the token deleted, com.ecom.payment.failed`, async (t) => {
    const { orderId, payments, ports } = setup(token);
    t.is(await capturePayment(ports, orderId), 'processed');
    t.like(payments.records.get(orderId), { status: 'FAILED', reference: '', declineCode });
    t.false(payments.chargesDue.has(orderId));
    t.deepEqual(
      eventsOf(payments).map(({ type, data }) => ({ type, data })),
      [{ type: 'com.ecom.payment.failed', data: { orderId, declineCode, failedAt: NOW } }],
    );
  });
}

test('tok_processingError: the first attempt fails transiently (retried) and records nothing; the next is charged', async (t) => {
  const { orderId, payments, gateway, ports } = setup('tok_processingError');
  const error = await t.throwsAsync(capturePayment(ports, orderId));
  t.true(isAppError(error) && error.kind === 'unavailable', 'a 5xx, so the broker delivers it again');
  t.is(payments.records.size, 0);
  t.true(payments.chargesDue.has(orderId), 'the token stays for the retry');
  t.is(payments.outbox.events.length, 0);
  t.is(await capturePayment(ports, orderId), 'processed');
  t.like(payments.records.get(orderId), { status: 'CAPTURED' });
  t.deepEqual(
    gateway.calls.map((call) => call.idempotencyKey),
    [orderId, orderId],
  );
});

test('no charge due (the order ended before its charge, or is unknown here): nothing charged, acknowledged', async (t) => {
  const { orderId, payments, gateway, logger, ports } = setup();
  payments.chargesDue.delete(orderId);
  t.is(await capturePayment(ports, orderId), 'duplicate');
  t.is(gateway.calls.length, 0);
  t.is(payments.outbox.events.length, 0);
  t.true(logger.lines.some((line) => line.msg.startsWith('no charge due')));
});

test('the payment token is never logged nor put in an event', async (t) => {
  for (const token of ['tok_visa', 'tok_chargeDeclined']) {
    const { orderId, payments, logger, ports } = setup(token);
    await capturePayment(ports, orderId);
    t.false(JSON.stringify(logger.lines).includes(token));
    t.false(JSON.stringify(payments.outbox.events).includes(token));
  }
});

test('refund: a captured charge is refunded once by its own key, REFUNDED, com.ecom.payment.refunded', async (t) => {
  const { orderId, payments, gateway, ports } = setup();
  await capturePayment(ports, orderId);
  t.is(await refundPayment(ports, orderId), 'processed');
  const record = payments.records.get(orderId);
  t.like(record, { status: 'REFUNDED', refundedAt: new Date(NOW) });
  t.regex(record?.refundReference ?? '', /^re_sim_[0-9a-f]{24}$/);
  t.deepEqual(gateway.calls.at(-1), { kind: 'refund', idempotencyKey: refundKey(orderId) });
  t.deepEqual(eventsOf(payments).at(-1), {
    type: 'com.ecom.payment.refunded',
    source: '/ecom/order/refund-payment',
    subject: orderId,
    partitionKey: orderId,
    data: { orderId, amount: TOTAL, reference: record?.refundReference, refundedAt: NOW },
  });
  t.is(await refundPayment(ports, orderId), 'duplicate', 'a redelivered request');
  t.is(gateway.calls.filter((call) => call.kind === 'refund').length, 1);
  t.is(payments.outbox.events.length, 2);
});

test('refund: nothing captured (declined, or no charge at all) is acknowledged with nothing done', async (t) => {
  const declined = setup('tok_chargeDeclined');
  await capturePayment(declined.ports, declined.orderId);
  t.is(await refundPayment(declined.ports, declined.orderId), 'duplicate');
  const none = setup();
  t.is(await refundPayment(none.ports, none.orderId), 'duplicate');
  t.is(none.gateway.calls.length + declined.gateway.calls.filter((c) => c.kind === 'refund').length, 0);
});
