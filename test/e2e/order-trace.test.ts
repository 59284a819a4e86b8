// One order, one trace: the local stack on real MariaDB, Kafka and Cassandra with tracing on (as
// `npm start -- --infra` runs it), its spans in the Zipkin that `npm run infra:up` starts. An order is placed
// through the gateway and followed to PAID and its notification; then its trace is read back from Zipkin's API and
// must hold every hop, from the gateway to notify, each span's parent in the same trace.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import puppeteer from 'puppeteer-core';
import { buildFunctions } from '../../dev/build';
import { infraEnv } from '../../dev/infra/infra-env';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { createLogger } from '../../shared/log/logger';
import { apiClient, type ApiClient } from '../support/api/api-client';
import { startInfraStack, type InfraStack } from '../support/infra-stack';

/** Where the test leaves its screenshot of the trace in Zipkin's UI (README, "Traces"). */
export const TRACE_SCREENSHOT = '.data/screenshots/order-trace.png';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const root = path.resolve(__dirname, '../..');
const zipkin = infraEnv.zipkin;
const logger = createLogger('e2e', { level: 'silent' });
let infra: InfraStack;
let api: ApiClient;

test.before(async () => {
  await buildFunctions();
  infra = await startInfraStack({ logger, tracing: { zipkinSpansEndpoint: zipkin.spansEndpoint } });
  api = apiClient(infra.stack.gateway.url, infra.stack.gateway.fetch);
});

test.after.always(async () => {
  await infra.remove();
});

/** A span as Zipkin's v2 API answers it. */
interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind?: string;
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags?: Readonly<Record<string, string>>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signedIn(account: { email: string; password: string }): Promise<string> {
  const { data, response } = await api.POST('/v1/auth/login', { body: account });
  if (!data) throw new Error(`login: ${String(response.status)}`);
  return data.accessToken;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The traces Zipkin holds that a service's spans are in, since `since` (ms since the epoch). */
async function tracesOf(serviceName: string, since: number): Promise<ZipkinSpan[][]> {
  const query = new URLSearchParams({
    serviceName,
    endTs: String(Date.now()),
    lookback: String(Date.now() - since + 1000),
    limit: '100',
  });
  const response = await fetch(`${zipkin.url}/api/v2/traces?${query.toString()}`);
  if (!response.ok) throw new Error(`zipkin: ${String(response.status)}`);
  return (await response.json()) as ZipkinSpan[][];
}

const serviceOf = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';

/** The spans of a trace whose parent is not in it. */
function orphansIn(spans: readonly ZipkinSpan[]): ZipkinSpan[] {
  const ids = new Set(spans.map((span) => span.id));
  return spans.filter((span) => span.parentId !== undefined && !ids.has(span.parentId));
}

/** The trace with this id, read from Zipkin's `/api/v2/trace/{id}`. */
async function traceById(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${zipkin.url}/api/v2/trace/${traceId}`);
  if (!response.ok) throw new Error(`zipkin: ${String(response.status)}`);
  return (await response.json()) as ZipkinSpan[];
}

/** An order placed through the gateway by a new customer, for one unit of a new product; and who is who. */
async function placeOrder(paymentToken: string) {
  const admin = await signedIn({ email: 'admin@shop.local', password: DEV_ADMIN_PASSWORD });
  const created = await api.POST('/v1/products', {
    headers: bearer(admin),
    body: {
      sku: `TRACE-${randomUUID().slice(0, 8)}`,
      name: 'Traced kettle',
      price: { amount: 2500, currency: 'USD' },
      status: 'active',
    },
  });
  const productId = created.data?.id ?? '';
  await api.POST('/v1/products/{id}/inventory/adjustments', {
    params: { path: { id: productId } },
    headers: bearer(admin),
    body: { delta: 5, reason: 'restock' },
  });
  const account = { email: `trace-${randomUUID().slice(0, 8)}@example.com`, password: 'a traced password' };
  await api.POST('/v1/auth/register', { body: { ...account, name: 'Tracy' } });
  const customer = await signedIn(account);
  const placed = await api.POST('/v1/orders', {
    headers: bearer(customer),
    body: {
      items: [{ productId, quantity: 1 }],
      shippingAddress: { name: 'Tracy', line1: '1 Span St', city: 'Cork', postalCode: 'T12', country: 'IE' },
      paymentToken,
    },
  });
  return { admin, account, customer, placed, orderId: placed.data?.id ?? '' };
}

/** The order once it is PAID (or as it is after a minute). */
const paid = (orderId: string, customer: string) =>
  eventually(
    async () =>
      (await api.GET('/v1/orders/{id}', { params: { path: { id: orderId } }, headers: bearer(customer) }))
        .data,
    (read) => read?.status === 'PAID',
  );

test.serial(
  'an order is one trace from the gateway to its notification, every span parented within it',
  async (t) => {
    const started = Date.now();
    const { admin, account, customer, placed, orderId } = await placeOrder('tok_visa');
    t.is(placed.response.status, 201);
    t.is((await paid(orderId, customer))?.status, 'PAID');
    const short = orderId.slice(0, 8).toUpperCase();
    const paidNotice = await eventually(
      async () => (await api.GET('/v1/notifications', { headers: bearer(customer) })).data,
      (read) => read?.items.some((item) => item.kind === 'order.paid' && item.title.includes(short)) ?? false,
    );
    t.true(paidNotice?.items.some((item) => item.kind === 'order.paid') ?? false);

    // The order's trace: the one place-order's span is in (only this order was placed on this stack). Spans are
    // batched, so they reach Zipkin a few seconds after the work.
    const hops = ['kong', 'place-order', 'reserve-inventory', 'capture-payment', 'notify'];
    const traces = await eventually(
      () => tracesOf('place-order', started),
      (found) => found.length === 1 && hops.every((hop) => found[0]?.some((span) => serviceOf(span) === hop)),
      60_000,
    );
    t.is(traces.length, 1, 'one trace holds place-order');
    // Each function sends its own batches: a span can reach Zipkin before its parent does (user-grpc's answer to
    // notify's call, before notify's call itself). The trace is read until it has no orphan; one left after a
    // minute is a span whose parent never came, and fails below.
    const spans = await eventually(
      () => traceById(traces[0]?.[0]?.traceId ?? ''),
      (found) => orphansIn(found).length === 0,
      60_000,
    );
    t.deepEqual(
      hops.filter((hop) => !spans.some((span) => serviceOf(span) === hop)),
      [],
      'every hop has its span in the trace',
    );
    const roots = spans.filter((span) => span.parentId === undefined);
    t.deepEqual(roots.map(serviceOf), ['kong'], 'one root, the gateway');
    t.deepEqual(
      orphansIn(spans).map((span) => `${serviceOf(span)} ${span.name}`),
      [],
      'no orphan span',
    );
    const byId = new Map(spans.map((span) => [span.id, span]));
    const ancestors = (span: ZipkinSpan): string[] => {
      const parent = span.parentId === undefined ? undefined : byId.get(span.parentId);
      return parent ? [serviceOf(parent), ...ancestors(parent)] : [];
    };
    const placeOrderServer = spans.find(
      (span) => serviceOf(span) === 'place-order' && span.kind === 'SERVER',
    );
    t.is(
      placeOrderServer && serviceOf(byId.get(placeOrderServer.parentId ?? '') ?? placeOrderServer),
      'kong',
    );
    for (const hop of ['reserve-inventory', 'capture-payment', 'notify']) {
      const consumer = spans.find((span) => serviceOf(span) === hop && span.kind === 'CONSUMER');
      t.truthy(consumer, `${hop} has a consumer span`);
      if (consumer) t.true(ancestors(consumer).includes('place-order'), `${hop} descends from place-order`);
    }
    // Nothing secret in any span: not the password, the tokens, the payment token or the e-mail address.
    const tagged = JSON.stringify(spans.map((span) => span.tags ?? {}));
    for (const secret of [account.password, account.email, customer, admin, 'tok_visa', DEV_ADMIN_PASSWORD]) {
      t.false(tagged.includes(secret), 'a secret is in a span attribute');
    }

    // The trace as a developer sees it in Zipkin's UI.
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 900 });
      await page.goto(`${zipkin.url}/zipkin/traces/${spans[0]?.traceId ?? ''}`, {
        waitUntil: 'networkidle0',
      });
      // The page is a script of its own (no DOM types here): it shows the trace once its services are listed.
      await page.waitForFunction(`document.body.innerText.includes('place-order')`, { timeout: 30_000 });
      t.pass("Zipkin's UI shows the trace");
      mkdirSync(path.dirname(path.join(root, TRACE_SCREENSHOT)), { recursive: true });
      await page.screenshot({ path: path.join(root, TRACE_SCREENSHOT) });
    } finally {
      await browser.close();
    }
  },
);

test.serial(
  'a payment retried after a transient failure adds its attempts to the same trace, marked as retries',
  async (t) => {
    const started = Date.now();
    // The simulated gateway fails this token's first charge (a 5xx: the broker redelivers), then charges it.
    const { customer, placed, orderId } = await placeOrder('tok_processingError');
    t.is(placed.response.status, 201);
    t.is((await paid(orderId, customer))?.status, 'PAID');

    const attemptsOf = (spans: readonly ZipkinSpan[]) =>
      spans.filter((span) => serviceOf(span) === 'capture-payment' && span.kind === 'CONSUMER');
    const traces = await eventually(
      () => tracesOf('capture-payment', started),
      (found) => found.some((trace) => attemptsOf(trace).some((span) => span.tags?.['ecom.delivery.retry'])),
      60_000,
    );
    const trace = traces.find((found) =>
      attemptsOf(found).some((span) => span.tags?.['ecom.delivery.retry']),
    );
    const spans = await traceById(trace?.[0]?.traceId ?? '');
    const attempts = attemptsOf(spans).sort(
      (a, b) => Number(a.tags?.['ecom.delivery.attempt']) - Number(b.tags?.['ecom.delivery.attempt']),
    );
    t.deepEqual(
      attempts.map((span) => [
        span.tags?.['ecom.delivery.attempt'],
        span.tags?.['ecom.delivery.retry'],
        span.tags?.['ecom.delivery.outcome'],
      ]),
      [
        ['1', undefined, 'refused'],
        ['2', 'true', 'processed'],
      ],
      'the failed attempt, then its retry',
    );
    t.is(attempts[0]?.tags?.['otel.status_code'], 'ERROR', 'the failed attempt is an error');
    t.regex(
      attempts[0]?.tags?.['error.type'] ?? '',
      /^5\d\d$/,
      'answered with a 5xx, which the broker retries',
    );
    t.is(
      new Set(attempts.map((span) => span.parentId)).size,
      1,
      'both attempts are children of the same appender',
    );
    t.true(
      spans.some((span) => serviceOf(span) === 'place-order' && span.kind === 'SERVER'),
      'the same trace as the order it pays',
    );
  },
);
