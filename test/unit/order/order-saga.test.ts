import test from 'ava';
import fc from 'fast-check';
import {
  decide,
  OrderStatus,
  type OrderEffect,
  type OrderSagaState,
  type OrderStep,
  type SagaDecision,
} from '../../../shared/domain/order/order-saga';

const AT = new Date('2026-12-01T12:00:00.000Z');
const TOTAL = { amount: 4200, currency: 'USD' };
const CHARGE = { status: 'CAPTURED', amount: TOTAL, reference: 'ch_1' } as const;

const STEPS: Readonly<Record<OrderStep['kind'], OrderStep>> = {
  'stock-reserved': { kind: 'stock-reserved' },
  'stock-rejected': { kind: 'stock-rejected' },
  'payment-captured': { kind: 'payment-captured', amount: TOTAL, reference: 'ch_1' },
  'payment-failed': { kind: 'payment-failed', declineCode: 'card_declined' },
  'payment-refunded': { kind: 'payment-refunded', reference: 're_1' },
  cancel: { kind: 'cancel', by: 'customer' },
  expire: { kind: 'expire' },
  ship: { kind: 'ship', carrier: 'DHL', trackingNumber: 'JD0001' },
  deliver: { kind: 'deliver' },
};

/** An order as it stands in each status after the usual road to it. */
const IN: Readonly<Record<OrderStatus, OrderSagaState>> = {
  PENDING: { status: 'PENDING', total: TOTAL },
  RESERVED: { status: 'RESERVED', total: TOTAL },
  PAID: { status: 'PAID', total: TOTAL, payment: CHARGE },
  SHIPPED: {
    status: 'SHIPPED',
    total: TOTAL,
    payment: CHARGE,
    shipment: { carrier: 'DHL', trackingNumber: 'JD0001', shippedAt: AT },
  },
  DELIVERED: { status: 'DELIVERED', total: TOTAL, payment: CHARGE, deliveredAt: AT },
  CANCELLING: {
    status: 'CANCELLING',
    total: TOTAL,
    payment: CHARGE,
    cancellation: { reason: 'CUSTOMER_REQUEST', at: AT },
  },
  CANCELLED: { status: 'CANCELLED', total: TOTAL, cancellation: { reason: 'EXPIRED', at: AT } },
};

/**
 * Every (status, step) pair: the status it moves to, `ignored` (a late or duplicate event, acknowledged) or
 * `refused` (409). A status kept with `=` is a change of the payment alone.
 */
const TABLE: Readonly<Record<OrderStatus, Readonly<Record<OrderStep['kind'], string>>>> = {
  PENDING: {
    'stock-reserved': 'RESERVED',
    'stock-rejected': 'CANCELLED',
    'payment-captured': 'PAID',
    'payment-failed': 'CANCELLED',
    'payment-refunded': 'ignored',
    cancel: 'CANCELLED',
    expire: 'CANCELLED',
    ship: 'refused',
    deliver: 'refused',
  },
  RESERVED: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': 'PAID',
    'payment-failed': 'CANCELLED',
    'payment-refunded': 'ignored',
    cancel: 'CANCELLED',
    expire: 'CANCELLED',
    ship: 'refused',
    deliver: 'refused',
  },
  PAID: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': 'ignored',
    'payment-failed': 'ignored',
    'payment-refunded': 'ignored',
    cancel: 'CANCELLING',
    expire: 'ignored',
    ship: 'SHIPPED',
    deliver: 'refused',
  },
  SHIPPED: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': 'ignored',
    'payment-failed': 'ignored',
    'payment-refunded': 'ignored',
    cancel: 'refused',
    expire: 'ignored',
    ship: 'refused',
    deliver: 'DELIVERED',
  },
  DELIVERED: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': 'ignored',
    'payment-failed': 'ignored',
    'payment-refunded': 'ignored',
    cancel: 'refused',
    expire: 'ignored',
    ship: 'refused',
    deliver: 'refused',
  },
  CANCELLING: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': 'ignored',
    'payment-failed': 'ignored',
    'payment-refunded': 'CANCELLED',
    cancel: 'ignored',
    expire: 'ignored',
    ship: 'refused',
    deliver: 'refused',
  },
  CANCELLED: {
    'stock-reserved': 'ignored',
    'stock-rejected': 'ignored',
    'payment-captured': '=CANCELLED',
    'payment-failed': 'ignored',
    'payment-refunded': 'ignored',
    cancel: 'ignored',
    expire: 'ignored',
    ship: 'refused',
    deliver: 'refused',
  },
};

const outcome = (decision: SagaDecision): string =>
  decision.kind === 'changed' ? decision.next.status : decision.kind;

for (const status of OrderStatus.options) {
  test(`${status}: every step has the answer the saga's table gives`, (t) => {
    for (const [kind, step] of Object.entries(STEPS)) {
      const want = TABLE[status][kind as OrderStep['kind']].replace(/^=/, '');
      const decision = decide(IN[status], step, AT);
      t.is(outcome(decision), want, `${status} + ${kind}`);
      if (decision.kind === 'refused') {
        t.like(decision.error, { kind: 'conflict', code: 'ORDER.WRONG_STATUS' });
      }
    }
  });
}

const effectsOf = (decision: SagaDecision): readonly OrderEffect[] =>
  decision.kind === 'changed' ? decision.effects : [];

test('reserved stock asks for nothing more: capture-payment takes the charge on the same event', (t) => {
  t.deepEqual(effectsOf(decide(IN.PENDING, STEPS['stock-reserved'], AT)), []);
});

test('rejected stock cancels the order as OUT_OF_STOCK, which releases whatever is held', (t) => {
  const decision = decide(IN.PENDING, STEPS['stock-rejected'], AT);
  t.like(decision, {
    kind: 'changed',
    next: { status: 'CANCELLED', cancellation: { reason: 'OUT_OF_STOCK', at: AT } },
  });
  t.deepEqual(effectsOf(decision), [{ kind: 'cancelled', reason: 'OUT_OF_STOCK' }]);
});

test('a captured charge pays a reserved order and records the payment', (t) => {
  const decision = decide(IN.RESERVED, STEPS['payment-captured'], AT);
  t.like(decision, { kind: 'changed', next: { status: 'PAID', payment: CHARGE } });
  t.deepEqual(effectsOf(decision), [{ kind: 'paid', amount: TOTAL }]);
});

test("a charge ahead of its reservation's event pays the order too, and the late reservation changes nothing", (t) => {
  const paid = decide(IN.PENDING, STEPS['payment-captured'], AT);
  if (paid.kind !== 'changed') throw new Error(paid.kind);
  t.like(paid.next, { status: 'PAID', payment: CHARGE });
  t.deepEqual(paid.effects, [{ kind: 'paid', amount: TOTAL }]);
  t.is(decide(paid.next, STEPS['stock-reserved'], AT).kind, 'ignored');
});

test('a declined charge cancels as PAYMENT_DECLINED, records the failure and releases the stock', (t) => {
  for (const status of ['RESERVED', 'PENDING'] as const) {
    const decision = decide(IN[status], STEPS['payment-failed'], AT);
    t.like(decision, {
      kind: 'changed',
      next: {
        status: 'CANCELLED',
        payment: { status: 'FAILED' },
        cancellation: { reason: 'PAYMENT_DECLINED' },
      },
    });
    t.deepEqual(effectsOf(decision), [{ kind: 'cancelled', reason: 'PAYMENT_DECLINED' }], status);
  }
});

test('open orders expire as EXPIRED; a paid one never does', (t) => {
  for (const status of ['PENDING', 'RESERVED'] as const) {
    t.deepEqual(effectsOf(decide(IN[status], STEPS.expire, AT)), [{ kind: 'cancelled', reason: 'EXPIRED' }]);
  }
  t.is(decide(IN.PAID, STEPS.expire, AT).kind, 'ignored');
});

test('cancelling a paid order refunds it first; the refund then cancels it and releases the stock', (t) => {
  const asked = decide(IN.PAID, { kind: 'cancel', by: 'admin' }, AT);
  if (asked.kind !== 'changed') throw new Error(asked.kind);
  t.is(asked.next.status, 'CANCELLING');
  t.deepEqual(
    asked.effects,
    [{ kind: 'refund', payment: CHARGE }],
    'no stock released before the money is back',
  );
  const refunded = decide(asked.next, STEPS['payment-refunded'], AT);
  t.like(refunded, {
    kind: 'changed',
    next: { status: 'CANCELLED', payment: { status: 'REFUNDED' }, cancellation: { reason: 'ADMIN_REQUEST' } },
  });
  t.deepEqual(effectsOf(refunded), [{ kind: 'cancelled', reason: 'ADMIN_REQUEST' }]);
});

test('a charge that lands after the order was cancelled is refunded once, and the order stays cancelled', (t) => {
  const late = decide(IN.CANCELLED, STEPS['payment-captured'], AT);
  if (late.kind !== 'changed') throw new Error(late.kind);
  t.is(late.next.status, 'CANCELLED');
  t.deepEqual(late.effects, [{ kind: 'refund', payment: CHARGE }]);
  t.is(
    decide(late.next, STEPS['payment-captured'], AT).kind,
    'ignored',
    'its redelivery refunds nothing more',
  );
  const refunded = decide(late.next, STEPS['payment-refunded'], AT);
  t.like(refunded, { kind: 'changed', next: { status: 'CANCELLED', payment: { status: 'REFUNDED' } } });
  t.deepEqual(effectsOf(refunded), [], 'the cancellation was told when it happened');
});

/** Applies steps the way the consumers do: a change is stored, anything else leaves the order as it was. */
function run(steps: readonly OrderStep[]) {
  let order: OrderSagaState = IN.PENDING;
  const effects: OrderEffect[] = [];
  for (const step of steps) {
    const decision = decide(order, step, AT);
    if (decision.kind !== 'changed') continue;
    order = decision.next;
    effects.push(...decision.effects);
  }
  return { order, effects };
}

const anyStep = fc.constantFrom(...Object.values(STEPS));

test('whatever the order and repetition of events and requests, the stock is released at most once, and money kept only by an order that is paid', (t) => {
  fc.assert(
    fc.property(fc.array(anyStep, { maxLength: 25 }), (steps) => {
      const { order, effects } = run(steps);
      const count = (kind: OrderEffect['kind']) => effects.filter((effect) => effect.kind === kind).length;
      if (count('cancelled') > 1) return false;
      if (count('paid') > 1) return false;
      // Money the gateway took is the payment of an order on its way, or is being given back.
      const charged = steps.some((step) => step.kind === 'payment-captured');
      const onItsWay = ['PAID', 'SHIPPED', 'DELIVERED', 'CANCELLING'].includes(order.status);
      if (charged && !onItsWay && count('refund') === 0) return false;
      // Cancelled, and told so, exactly when it ends CANCELLED.
      return (order.status === 'CANCELLED') === (count('cancelled') === 1);
    }),
  );
  t.pass();
});
