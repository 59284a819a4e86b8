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

async function post(
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status: number; error?: string }> {
  // Not AbortSignal.any([signal, AbortSignal.timeout(ms)]): nothing holds those signals strongly while fetch
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
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      // A redirect is a failed delivery for Knative, not something to follow.
      redirect: 'manual',
      signal: attempt.signal,
    });
    const text = await response.text();
    if (response.status < 300) return { status: response.status };
    return { status: response.status, error: text.slice(0, ERROR_BODY_LIMIT) };
  } catch (error) {
    signal.throwIfAborted();
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return { status: 0, error: cause instanceof Error ? cause.message : String(cause) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}
