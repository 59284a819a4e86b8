import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { deliver, isRetryable, type Sleep } from '../../../dev/broker/delivery';
import type { DeliverySpec } from '../../../dev/broker/delivery-spec';

/** What the subscriber received, one entry per attempt. */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP subscriber on loopback answering each attempt as `answer` says (status, body; never = hang). */
async function subscriber(
  answer: (attempt: number) => { status: number; body?: string; location?: string } | 'never',
): Promise<{ url: URL; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = answer(received.length);
      if (reply === 'never') return;
      res.writeHead(reply.status, reply.location ? { location: reply.location } : {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const spec = (overrides: Partial<DeliverySpec> = {}): DeliverySpec => ({
  retry: 3,
  backoffPolicy: 'exponential',
  backoffDelayMs: 200,
  timeoutMs: 5000,
  ...overrides,
});

/** A clock the test controls: records each wait and returns at once. */
function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

const event = (data: unknown = { userId: 'u-1' }) =>
  new CloudEvent({ id: 'e-1', type: 'com.ecom.test', source: '/test', subject: 'u-1', data });

test('Knative retries 5xx, 404, 408, 409, 429 and no answer; every other failure is final', (t) => {
  for (const status of [0, 404, 408, 409, 429, 500, 502, 503, 504, 599])
    t.true(isRetryable(status), `${status}`);
  for (const status of [200, 204, 300, 301, 302, 304, 400, 401, 403, 405, 410, 413, 422, 499]) {
    t.false(isRetryable(status), `${status}`);
  }
});

test('a 2xx is delivered at the first attempt, in binary mode: ce-* headers and the data as the body', async (t) => {
  const sub = await subscriber(() => ({ status: 202 }));
  t.teardown(() => sub.close());
  const { waits, sleep } = recordingSleep();
  const result = await deliver(event(), () => sub.url, spec(), new AbortController().signal, sleep);
  t.deepEqual(result, { delivered: true, status: 202, attempts: 1, target: sub.url.toString() });
  t.deepEqual(waits, []);
  const [first] = sub.received;
  t.like(first?.headers, {
    'ce-id': 'e-1',
    'ce-type': 'com.ecom.test',
    'ce-source': '/test',
    'ce-subject': 'u-1',
  });
  t.deepEqual(JSON.parse(first?.body ?? ''), { userId: 'u-1' });
});

test('a retryable answer is retried `retry` times with the backoff between, then given up', async (t) => {
  const sub = await subscriber(() => ({ status: 503, body: 'busy' }));
  t.teardown(() => sub.close());
  const { waits, sleep } = recordingSleep();
  const result = await deliver(event(), () => sub.url, spec(), new AbortController().signal, sleep);
  t.like(result, { delivered: false, status: 503, attempts: 4, error: 'busy' });
  t.deepEqual(waits, [400, 800, 1600], 'exponential: the delay times 2^retry');
  t.is(sub.received.length, 4);
});

test('linear backoff, and no retry at all by default (retry 0)', async (t) => {
  const sub = await subscriber(() => ({ status: 429 }));
  t.teardown(() => sub.close());
  const linear = recordingSleep();
  await deliver(
    event(),
    () => sub.url,
    spec({ backoffPolicy: 'linear' }),
    new AbortController().signal,
    linear.sleep,
  );
  t.deepEqual(linear.waits, [200, 400, 600]);
  const once = recordingSleep();
  const result = await deliver(
    event(),
    () => sub.url,
    spec({ retry: 0 }),
    new AbortController().signal,
    once.sleep,
  );
  t.like(result, { delivered: false, status: 429, attempts: 1 });
  t.deepEqual(once.waits, []);
});

test('a retry that succeeds stops there', async (t) => {
  const sub = await subscriber((attempt) => ({ status: attempt < 3 ? 500 : 200 }));
  t.teardown(() => sub.close());
  const { waits, sleep } = recordingSleep();
  const result = await deliver(event(), () => sub.url, spec(), new AbortController().signal, sleep);
  t.like(result, { delivered: true, status: 200, attempts: 3 });
  t.deepEqual(waits, [400, 800]);
});

test('300 is not a success: only 2xx is delivered', async (t) => {
  const sub = await subscriber(() => ({ status: 300 }));
  t.teardown(() => sub.close());
  const result = await deliver(event(), () => sub.url, spec(), new AbortController().signal);
  t.like(result, { delivered: false, status: 300, attempts: 1 });
});

test('a final refusal (400) or a redirect is not retried, nor followed; the error keeps the first 1024 characters', async (t) => {
  const refusing = await subscriber(() => ({ status: 400, body: 'x'.repeat(3000) }));
  t.teardown(() => refusing.close());
  const refused = await deliver(event(), () => refusing.url, spec(), new AbortController().signal);
  t.like(refused, { delivered: false, status: 400, attempts: 1 });
  t.is(refused.error?.length, 1024);
  const redirecting = await subscriber(() => ({ status: 302, location: 'http://127.0.0.1:1/' }));
  t.teardown(() => redirecting.close());
  const redirected = await deliver(event(), () => redirecting.url, spec(), new AbortController().signal);
  t.like(redirected, { delivered: false, status: 302, attempts: 1 });
  t.is(redirecting.received.length, 1);
});

test('a subscriber not running yet counts as no answer and is asked again before every attempt', async (t) => {
  const sub = await subscriber(() => ({ status: 204 }));
  t.teardown(() => sub.close());
  let asked = 0;
  const target = () => (++asked < 3 ? undefined : sub.url);
  const { waits, sleep } = recordingSleep();
  const result = await deliver(event(), target, spec(), new AbortController().signal, sleep);
  t.like(result, { delivered: true, status: 204, attempts: 3 });
  t.is(asked, 3);
  t.deepEqual(waits, [400, 800]);
  const never = await deliver(event(), () => undefined, spec({ retry: 0 }), new AbortController().signal);
  t.deepEqual(never, {
    delivered: false,
    status: 0,
    attempts: 1,
    target: undefined,
    error: 'the subscriber is not running',
  });
});

test('an attempt that outlives the timeout is no answer (status 0), and is retried', async (t) => {
  const sub = await subscriber((attempt) => (attempt === 1 ? 'never' : { status: 200 }));
  t.teardown(() => sub.close());
  const { sleep } = recordingSleep();
  const started = Date.now();
  // Retries to spare: on a loaded machine a later attempt may time out too; the first one always does.
  const result = await deliver(
    event(),
    () => sub.url,
    spec({ timeoutMs: 300, retry: 5 }),
    new AbortController().signal,
    sleep,
  );
  t.like(result, { delivered: true, status: 200 });
  t.true(result.attempts >= 2, 'the first attempt, never answered, was cut');
  // Every attempt but the last may have been cut before its request arrived (a loaded machine); the last arrived.
  t.true(sub.received.length >= 1 && sub.received.length <= result.attempts);
  t.true(Date.now() - started >= 300);
  const hanging = await subscriber(() => 'never');
  t.teardown(() => hanging.close());
  const cutAt = Date.now();
  const lost = await deliver(
    event(),
    () => hanging.url,
    spec({ timeoutMs: 1000, retry: 0 }),
    new AbortController().signal,
  );
  const waited = Date.now() - cutAt;
  t.like(lost, { delivered: false, status: 0, attempts: 1 });
  t.regex(lost.error ?? '', /timeout|aborted/i);
  // Cut at its timeout, not long after: bounds from below and above, the upper one five times the timeout so a
  // loaded machine's late timers never trip it, while a timeout ten times too long does.
  t.true(waited >= 1000 && waited < 5000, `cut after ${String(waited)} ms`);
});

test('closing the broker (the signal) rejects with its reason: nothing is decided', async (t) => {
  const hanging = await subscriber(() => 'never');
  t.teardown(() => hanging.close());
  const closing = new AbortController();
  const started = Date.now();
  const delivering = deliver(event(), () => hanging.url, spec({ timeoutMs: 10_000 }), closing.signal);
  setTimeout(() => {
    closing.abort(new Error('broker closing'));
  }, 50);
  await t.throwsAsync(delivering, { message: 'broker closing' });
  t.true(Date.now() - started < 5000, 'the attempt in flight is cut, not waited out');
  const closed = new AbortController();
  closed.abort(new Error('already closed'));
  await t.throwsAsync(
    deliver(event(), () => hanging.url, spec(), closed.signal),
    { message: 'already closed' },
  );
});

test('text and binary data go as they are; no data, no body', async (t) => {
  const sub = await subscriber(() => ({ status: 200 }));
  t.teardown(() => sub.close());
  const signal = new AbortController().signal;
  await deliver(event('plain text'), () => sub.url, spec(), signal);
  await deliver(event(new Uint8Array([104, 105])), () => sub.url, spec(), signal);
  await deliver(new CloudEvent({ id: 'e-2', type: 't', source: '/s' }), () => sub.url, spec(), signal);
  t.deepEqual(
    sub.received.map((r) => r.body),
    ['plain text', 'hi', ''],
  );
});
