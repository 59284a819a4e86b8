// Polls a readiness probe until it answers, the process dies, or the time is up.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Checked between attempts: a process that died will never answer, so stop waiting at once. */
  readonly isAlive?: () => boolean;
}

export class WaitError extends Error {}

/** Resolves with the probe's first result; rejects with the last probe error on timeout or death. */
export async function waitUntil<T>(what: string, probe: () => Promise<T>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    // First line only: driver errors can carry whole stack traces in their message.
    const reason = (lastError instanceof Error ? lastError.message : String(lastError)).split('\n')[0];
    if (options.isAlive && !options.isAlive()) {
      throw new WaitError(`${what}: the process exited before it was ready (last probe: ${reason})`);
    }
    if (Date.now() > deadline) {
      throw new WaitError(`${what}: not ready after ${options.timeoutMs / 1000} s (last probe: ${reason})`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** Rejects when promise does not settle within ms: client libraries do not always time out by themselves. */
export async function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when host:port accepts TCP connections: a quick check before a client's slower retries. */
export function acceptsConnections(host: string, port: number, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${host}:${port}: no answer within ${timeoutMs} ms`));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}
