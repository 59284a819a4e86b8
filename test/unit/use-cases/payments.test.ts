// capture-payment and refund-payment on the in-memory order repository and ledger and the simulated gateway's rules.
import test from 'ava';
import { capturePayment } from '../../../functions/order/capture-payment/use-case';
import { refundKey, refundPayment } from '../../../functions/order/refund-payment/use-case';
import { TRANSITION_ATTEMPTS } from '../../../shared/domain/order/apply-step';
import type { Order } from '../../../shared/domain/order/order';
import type { OrderSagaState } from '../../../shared/domain/order/order-saga';
import { AppError, isAppError } from '../../../shared/errors/app-error';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { memoryPaymentGateway } from '../../support/memory/memory-payment-gateway';
import { memoryPaymentLedger } from '../../support/memory/memory-payment-ledger';
import { testClock } from '../../support/memory/test-clock';
import { testOrder } from '../../support/memory/test-order';

const NOW = '2030-01-01T10:00:00.000Z';
/** When reserve-inventory reserved the order's stock, before the charge. */
const RESERVED_AT = '2030-01-01T09:59:59.900Z';
const TOTAL = { amount: 4200, currency: 'USD' };

/**
 * An order placed with `token`, as it stands in `state` (PENDING unless said: capture-payment is the one that stores
 * its reservation), and the ports of its charge.
 */
async function setup(token = 'tok_visa', state: Partial<OrderSagaState> = {}) {
  const orders = memoryOrderRepository();
  const order = testOrder({ total: TOTAL, ...state });
  await orders.place(order, { paymentToken: token, events: [] });
  const payments = memoryPaymentLedger(orders);
  const gateway = memoryPaymentGateway();
  const logger = memoryLogger();
  const ports = { orders, payments, gateway, now: testClock(NOW).now, logger };
  const orderId = order.id;
  const reservation = { orderId, reservedAt: new Date(RESERVED_AT) };
  return { orderId, orders, payments, gateway, logger, ports, reservation };
}

const eventsOf = (orders: ReturnType<typeof memoryOrderRepository>) =>
  orders.outbox.events.map(({ type, source, subject, partitionKey, data }) => ({
    type,
    source,
    subject,
    partitionKey,
    data,
  }));

/** The events told of the order, but for its timeline's entries (they have tests of their own below). */
const typesOf = (orders: ReturnType<typeof memoryOrderRepository>) =>
  orders.outbox.events.map((event) => event.type).filter((type) => type !== 'com.ecom.order.changed');

/** The order's timeline entries: when, the step, the status it left. */
const timelineOf = (orders: ReturnType<typeof memoryOrderRepository>) =>
  orders.outbox.events
    .filter((event) => event.type === 'com.ecom.order.changed')
    .map(({ time, data }) => [time.toISOString(), data['step'], data['status']]);

test("tok_visa: the order's stored total charged once by the order id, recorded, the token deleted, the order PAID with com.ecom.payment.captured and com.ecom.order.paid, in one store", async (t) => {
  const { orderId, orders, payments, gateway, ports, reservation } = await setup();
  t.is(await capturePayment(ports, reservation), 'processed');
  const record = payments.records.get(orderId);
  t.like(record, { status: 'CAPTURED', amount: TOTAL, settledAt: new Date(NOW) });
  const reference = record?.reference ?? '';
  t.regex(reference, /^ch_sim_[0-9a-f]{24}$/);
  t.false(orders.chargesDue.has(orderId), 'the token is not kept once the charge settled');
  t.deepEqual(gateway.calls, [{ kind: 'charge', idempotencyKey: orderId }]);
  t.like(orders.orders.get(orderId), {
    status: 'PAID',
    payment: { status: 'CAPTURED', amount: TOTAL, reference },
    updatedAt: new Date(NOW),
  });
  const told = eventsOf(orders).filter((event) => event.type !== 'com.ecom.order.changed');
  t.deepEqual(told, [
    {
      type: 'com.ecom.payment.captured',
      source: '/ecom/order/capture-payment',
      subject: orderId,
      partitionKey: orderId,
      data: { orderId, amount: TOTAL, reference, capturedAt: NOW },
    },
    {
      type: 'com.ecom.order.paid',
      source: '/ecom/order/capture-payment',
      subject: orderId,
      partitionKey: orderId,
      data: { orderId, amount: TOTAL, paidAt: NOW },
    },
  ]);
  t.deepEqual(
    timelineOf(orders),
    [
      [RESERVED_AT, 'stock-reserved', 'RESERVED'],
      [NOW, 'payment-captured', 'PAID'],
    ],
    'the reservation first, at its own time',
  );
});

test('an order stored RESERVED already (a transient failure before) is paid, with the charge alone on its timeline', async (t) => {
  const { orderId, orders, ports, reservation } = await setup('tok_visa', { status: 'RESERVED' });
  t.is(await capturePayment(ports, reservation), 'processed');
  t.like(orders.orders.get(orderId), { status: 'PAID' });
  t.deepEqual(timelineOf(orders), [[NOW, 'payment-captured', 'PAID']]);
  t.deepEqual(typesOf(orders), ['com.ecom.payment.captured', 'com.ecom.order.paid']);
});

test("a reservation stamped after the charge (another service's clock) is still on the timeline before it", async (t) => {
  const { orders, ports, reservation } = await setup();
  await capturePayment(ports, { ...reservation, reservedAt: new Date('2030-01-01T10:00:00.250Z') });
  t.deepEqual(timelineOf(orders), [
    ['2030-01-01T09:59:59.999Z', 'stock-reserved', 'RESERVED'],
    [NOW, 'payment-captured', 'PAID'],
  ]);
});

test('a redelivered inventory.reserved charges nothing more and emits nothing more', async (t) => {
  const { orders, gateway, ports, reservation } = await setup();
  await capturePayment(ports, reservation);
  const stored = orders.outbox.events.length;
  t.is(await capturePayment(ports, reservation), 'duplicate');
  t.is(gateway.calls.length, 1);
  t.is(orders.outbox.events.length, stored);
});

test('two deliveries at once: the gateway is asked with one key, one outcome is recorded, the order paid once', async (t) => {
  const { orderId, orders, gateway, ports, reservation } = await setup();
  const outcomes = await Promise.all([
    capturePayment(ports, reservation),
    capturePayment(ports, reservation),
  ]);
  t.deepEqual([...outcomes].sort(), ['duplicate', 'processed']);
  t.deepEqual(new Set(gateway.calls.map((call) => call.idempotencyKey)), new Set([orderId]));
  t.deepEqual(typesOf(orders), ['com.ecom.payment.captured', 'com.ecom.order.paid']);
  t.is(timelineOf(orders).length, 2);
});

for (const [token, declineCode] of [
  ['tok_chargeDeclined', 'card_declined'],
  ['tok_insufficientFunds', 'insufficient_funds'],
  ['tok_madeUp', 'invalid_token'],
] as const) {
  test(`${token}: declined as ${declineCode}, recorded FAILED, the token deleted, the order CANCELLED as PAYMENT_DECLINED (its stock released by com.ecom.order.cancelled)`, async (t) => {
    const { orderId, orders, payments, ports, reservation } = await setup(token);
    t.is(await capturePayment(ports, reservation), 'processed');
    t.like(payments.records.get(orderId), { status: 'FAILED', reference: '', declineCode });
    t.false(orders.chargesDue.has(orderId));
    t.like(orders.orders.get(orderId), {
      status: 'CANCELLED',
      payment: { status: 'FAILED' },
      cancellation: { reason: 'PAYMENT_DECLINED', at: new Date(NOW) },
    });
    t.deepEqual(
      eventsOf(orders)
        .filter((event) => event.type !== 'com.ecom.order.changed')
        .map(({ type, data }) => ({ type, data })),
      [
        { type: 'com.ecom.payment.failed', data: { orderId, declineCode, failedAt: NOW } },
        {
          type: 'com.ecom.order.cancelled',
          data: { orderId, reason: 'PAYMENT_DECLINED', cancelledAt: NOW },
        },
      ],
    );
    t.deepEqual(timelineOf(orders), [
      [RESERVED_AT, 'stock-reserved', 'RESERVED'],
      [NOW, 'payment-failed', 'CANCELLED'],
    ]);
  });
}

test('tok_processingError: the first attempt fails transiently (retried), records no charge and stores the order RESERVED; the next is charged', async (t) => {
  const { orderId, orders, payments, gateway, ports, reservation } = await setup('tok_processingError');
  const error = await t.throwsAsync(capturePayment(ports, reservation));
  t.true(isAppError(error) && error.kind === 'unavailable', 'a 5xx, so the broker delivers it again');
  t.is(payments.records.size, 0);
  t.true(orders.chargesDue.has(orderId), 'the token stays for the retry');
  t.like(orders.orders.get(orderId), { status: 'RESERVED', updatedAt: new Date(RESERVED_AT) });
  t.deepEqual(typesOf(orders), [], 'nothing told but the timeline');
  t.deepEqual(timelineOf(orders), [[RESERVED_AT, 'stock-reserved', 'RESERVED']]);
  t.is(await capturePayment(ports, reservation), 'processed');
  t.like(payments.records.get(orderId), { status: 'CAPTURED' });
  t.like(orders.orders.get(orderId), { status: 'PAID' });
  t.deepEqual(timelineOf(orders), [
    [RESERVED_AT, 'stock-reserved', 'RESERVED'],
    [NOW, 'payment-captured', 'PAID'],
  ]);
  t.deepEqual(
    gateway.calls.map((call) => call.idempotencyKey),
    [orderId, orderId],
  );
});

test('no charge due (the order ended before its charge, or is unknown here): nothing charged, acknowledged', async (t) => {
  const { orderId, orders, gateway, logger, ports, reservation } = await setup();
  orders.chargesDue.delete(orderId);
  t.is(await capturePayment(ports, reservation), 'duplicate');
  t.is(gateway.calls.length, 0);
  t.is(orders.outbox.events.length, 0);
  t.true(logger.lines.some((line) => line.msg.startsWith('no charge due')));
});

test('an order cancelled while its charge was taken keeps the charge on record and asks for its refund, once', async (t) => {
  const { orderId, orders, payments, gateway, ports, reservation } = await setup();
  // The customer cancels while the gateway is charging (after the charge due was read).
  const cancelling = {
    ...gateway,
    async charge(request: Parameters<typeof gateway.charge>[0]) {
      const outcome = await gateway.charge(request);
      const current = orders.orders.get(orderId) as Order;
      const cancellation = { reason: 'CUSTOMER_REQUEST', at: new Date(NOW) } as const;
      await orders.transition({ ...current, status: 'CANCELLED', cancellation }, 'PENDING', []);
      return outcome;
    },
  };
  t.is(await capturePayment({ ...ports, gateway: cancelling }, reservation), 'processed');
  const reference = payments.records.get(orderId)?.reference;
  t.like(orders.orders.get(orderId), { status: 'CANCELLED', payment: { status: 'CAPTURED', reference } });
  t.deepEqual(typesOf(orders), ['com.ecom.payment.captured', 'com.ecom.payment.refund-requested']);
  t.is(await capturePayment(ports, reservation), 'duplicate');
  t.deepEqual(typesOf(orders), ['com.ecom.payment.captured', 'com.ecom.payment.refund-requested']);
});

test('when another step moves the order between its read and the record, the charge is decided again on what it finds', async (t) => {
  const { orderId, orders, payments, ports, reservation } = await setup();
  let moves = 0;
  const racing = {
    ...payments,
    recordCharge: async (...args: Parameters<typeof payments.recordCharge>) => {
      if (moves === 0) {
        moves += 1;
        // The sweep expires the order first.
        const current = orders.orders.get(orderId) as Order;
        const cancellation = { reason: 'EXPIRED', at: new Date(NOW) } as const;
        await orders.transition({ ...current, status: 'CANCELLED', cancellation }, 'PENDING', []);
      }
      return payments.recordCharge(...args);
    },
  };
  t.is(await capturePayment({ ...ports, payments: racing }, reservation), 'processed');
  t.like(orders.orders.get(orderId), { status: 'CANCELLED', payment: { status: 'CAPTURED' } });
  t.deepEqual(
    typesOf(orders),
    ['com.ecom.payment.captured', 'com.ecom.payment.refund-requested'],
    'refunded, not paid',
  );
});

test(`a charge whose order keeps changing under it is answered unavailable after ${String(TRANSITION_ATTEMPTS)} tries, so the event comes again`, async (t) => {
  const { orderId, orders, payments, gateway, ports, reservation } = await setup();
  // Before each record another step flips the order between PENDING and RESERVED, so its read is never current.
  const flipping = {
    ...payments,
    recordCharge: async (...args: Parameters<typeof payments.recordCharge>) => {
      const current = orders.orders.get(orderId) as Order;
      const other = current.status === 'PENDING' ? 'RESERVED' : 'PENDING';
      await orders.transition({ ...current, status: other }, current.status, []);
      return payments.recordCharge(...args);
    },
  };
  const error = await t.throwsAsync(capturePayment({ ...ports, payments: flipping }, reservation), {
    instanceOf: AppError,
  });
  t.is(error.kind, 'unavailable');
  t.is(payments.records.size, 0, 'nothing recorded');
  t.is(orders.outbox.events.length, 0);
  t.true(orders.chargesDue.has(orderId), 'the token stays for the redelivery');
  t.is(await capturePayment(ports, reservation), 'processed', 'the redelivery settles it');
  t.is(gateway.calls.length, 2);
});

test('the payment token is never logged nor put in an event', async (t) => {
  for (const token of ['tok_visa', 'tok_chargeDeclined']) {
    const { orders, logger, ports, reservation } = await setup(token);
    await capturePayment(ports, reservation);
    t.false(JSON.stringify(logger.lines).includes(token));
    t.false(JSON.stringify(orders.outbox.events).includes(token));
  }
});

test('refund: a captured charge is refunded once by its own key, REFUNDED, com.ecom.payment.refunded', async (t) => {
  const { orderId, orders, payments, gateway, ports, reservation } = await setup();
  await capturePayment(ports, reservation);
  t.is(await refundPayment(ports, orderId), 'processed');
  const record = payments.records.get(orderId);
  t.like(record, { status: 'REFUNDED', refundedAt: new Date(NOW) });
  t.regex(record?.refundReference ?? '', /^re_sim_[0-9a-f]{24}$/);
  t.deepEqual(gateway.calls.at(-1), { kind: 'refund', idempotencyKey: refundKey(orderId) });
  t.deepEqual(eventsOf(orders).at(-1), {
    type: 'com.ecom.payment.refunded',
    source: '/ecom/order/refund-payment',
    subject: orderId,
    partitionKey: orderId,
    data: { orderId, amount: TOTAL, reference: record?.refundReference, refundedAt: NOW },
  });
  t.is(await refundPayment(ports, orderId), 'duplicate', 'a redelivered request');
  t.is(gateway.calls.filter((call) => call.kind === 'refund').length, 1);
  t.is(orders.outbox.events.length, 5, "the charge's four events (two timeline entries), then the refund's");
});

test('refund: nothing captured (declined, or no charge at all) is acknowledged with nothing done', async (t) => {
  const declined = await setup('tok_chargeDeclined');
  await capturePayment(declined.ports, declined.reservation);
  t.is(await refundPayment(declined.ports, declined.orderId), 'duplicate');
  const none = await setup();
  t.is(await refundPayment(none.ports, none.orderId), 'duplicate');
  t.is(none.gateway.calls.length + declined.gateway.calls.filter((c) => c.kind === 'refund').length, 0);
});
