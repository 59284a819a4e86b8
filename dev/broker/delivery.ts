import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP, type CloudEvent } from 'cloudevents';
import { backoffMs } from './backoff';
import type { DeliverySpec } from './delivery-spec';

/** The final outcome of delivering one event to one subscriber. */
export interface DeliveryResult {
  readonly delivered: boolean;
  /** The last answer's status; 0 when the subscriber could not be reached (or did not answer in time). */
  readonly status: number;
  readonly attempts: number;
  /** Where the last attempt went; undefined when the subscriber could not be resolved then. */
  readonly target?: string | undefined;
  /** Why the last attempt failed: the start of the answer's body, or the connection error. */
  readonly error?: string | undefined;
}

// The statuses on which Knative redelivers (eventing's data-plane spec); any other failure is final.
const RETRIED = new Set([404, 408, 409, 429]);
const ERROR_BODY_LIMIT = 1024;

/**
 * How the broker waits (between attempts, before writing a dead letter again): resolves after `ms`, rejects with
 * the signal's reason when `signal` aborts. The default is the real timers; a test hands in a clock it controls.
 */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => sleep(ms, undefined, { signal });

/** Whether Knative retries an answer: 5xx, 404, 408, 409, 429, and no answer at all (status 0). */
export function isRetryable(status: number): boolean {
  return status === 0 || status >= 500 || RETRIED.has(status);
}

/**
 * POSTs one event in binary content mode (`ce-*` headers, the data as the body) until it is accepted (2xx), a
 * final failure comes back (3xx, or a 4xx other than 404/408/409/429), or `retry` retries are spent, waiting the
 * Trigger's backoff between attempts. `target` is asked before every attempt, so a subscriber that starts late is
 * found. The waits go through `wait` (default: the real timers). Rejects with the signal's reason when `signal`
 * aborts (the broker is closing: nothing is decided).
 */
export async function deliver(
  event: CloudEvent<unknown>,
  target: () => URL | undefined,
  delivery: DeliverySpec,
  signal: AbortSignal,
  wait: Sleep = realSleep,
): Promise<DeliveryResult> {
  const message = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = String(value);
  }
  const body = serialiseBody(message.body);
  for (let attempts = 1; ; attempts++) {
    const url = target();
    const answer = url
      ? await post(url, headers, body, delivery.timeoutMs, signal)
      : { status: 0, error: 'the subscriber is not running' };
    const delivered = answer.status >= 200 && answer.status < 300;
    if (delivered || !isRetryable(answer.status) || attempts > delivery.retry) {
      return { delivered, attempts, target: url?.toString(), ...answer };
    }
    await wait(backoffMs(delivery, attempts), signal);
  }
}

function serialiseBody(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  return JSON.stringify(body);
}

// Keep-alive to the subscribers, through node:http rather than fetch: a delivery is on every saga step's way, and
// fetch's streams cost it a third of a millisecond of CPU more (bench/README.md). An idle pooled connection is closed
// here before the function's server closes it (Node's keepAliveTimeout, 5 s): reused just as the server closed it, an
// attempt would fail with ECONNRESET. Idle sockets do not hold the process open (the agent unrefs them).
const SUBSCRIBER_IDLE_MS = 4_000;
const agent = new Agent({ keepAlive: true, timeout: SUBSCRIBER_IDLE_MS });

async function post(
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status: number; error?: string }> {
  // Not AbortSignal.any([signal, AbortSignal.timeout(ms)]): nothing holds those signals strongly while the request
  // waits, so a garbage collection can take the timeout away and a subscriber that never answers blocks the
  // partition for good. Here the timer and the listener keep the attempt's controller alive until it ends.
  signal.throwIfAborted();
  const attempt = new AbortController();
  const timer = setTimeout(() => {
    attempt.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  const stop = () => {
    attempt.abort(signal.reason);
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    // node:http follows no redirect: for Knative a redirect is a failed delivery, not something to follow.
    const { status, text } = await request(url, headers, body, attempt.signal);
    if (status < 300) return { status };
    return { status, error: text.slice(0, ERROR_BODY_LIMIT) };
  } catch (error) {
    signal.throwIfAborted();
    // An aborted request's error carries the abort's reason (the timeout) as its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return { status: 0, error: cause instanceof Error ? cause.message : String(cause) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}

/** One POST and its whole answer; rejects when the connection fails or `signal` aborts. */
function request(
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? 0 : Buffer.byteLength(body);
    const outgoing = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(length) }, agent, signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
        // A connection cut in the middle of the answer: no answer at all, as fetch would report it.
        response.on('close', () => {
          if (!response.complete) reject(new Error('the answer was cut short'));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
