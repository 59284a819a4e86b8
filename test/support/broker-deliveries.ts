import type { Sleep } from '../../dev/broker/delivery';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';

/** How long a test waits for something the broker should do before it fails the test (not a pause). */
export const WAIT_LIMIT_MS = 30_000;

/**
 * Something a test watches change (deliveries, outcomes, waits), and waiting until a condition on it holds: the
 * condition is checked again whenever `changed` is called, never on a timer.
 */
export interface Watched {
  changed(): void;
  /** Resolves with `check`'s first truthy value; rejects with `what` after `timeoutMs`. */
  until<T>(check: () => T | false | undefined, what: () => string, timeoutMs?: number): Promise<T>;
}

export function watched(): Watched {
  const waiters = new Set<() => void>();
  return {
    changed() {
      for (const waiter of [...waiters]) waiter();
    },
    until(check, what, timeoutMs = WAIT_LIMIT_MS) {
      return new Promise((resolve, reject) => {
        const done = () => {
          waiters.delete(attempt);
          clearTimeout(timer);
        };
        const attempt = () => {
          try {
            const value = check();
            if (value === false || value === undefined) return;
            done();
            resolve(value);
          } catch (error) {
            done();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Still waiting after ${timeoutMs} ms: ${what()}`));
        }, timeoutMs);
        waiters.add(attempt);
        attempt();
      });
    },
  };
}

/** The outcomes one broker reported through `onDelivery`, in the order it reported them. */
export interface OutcomeLog {
  readonly onDelivery: (outcome: DeliveryOutcome) => void;
  readonly all: readonly DeliveryOutcome[];
  /** The outcomes of one Trigger (optionally of one event), in order. */
  of(trigger: string, eventId?: string): DeliveryOutcome[];
  /** Resolves with the first outcome of `eventId` at `trigger` once the broker reported it. */
  ended(trigger: string, eventId: string, timeoutMs?: number): Promise<DeliveryOutcome>;
}

export function outcomeLog(listener?: (outcome: DeliveryOutcome) => void): OutcomeLog {
  const all: DeliveryOutcome[] = [];
  const changes = watched();
  const of = (trigger: string, eventId?: string) =>
    all.filter((o) => o.trigger === trigger && (eventId === undefined || o.eventId === eventId));
  return {
    all,
    of,
    onDelivery(outcome) {
      all.push(outcome);
      listener?.(outcome);
      changes.changed();
    },
    ended(trigger, eventId, timeoutMs) {
      return changes.until(
        () => of(trigger, eventId)[0],
        () => `the outcome of ${eventId} at ${trigger} (outcomes so far: ${JSON.stringify(all)})`,
        timeoutMs,
      );
    },
  };
}

/**
 * The broker's clock in a test: every wait the broker asks for is recorded (in ms), then `onWait` decides when it
 * ends: when the promise it returns settles, never when it returns 'hold' (only the broker closing ends the wait,
 * rejecting as the real timers do), else at once.
 */
export interface TestClock {
  readonly sleep: Sleep;
  /** Every wait asked for so far, in order. */
  readonly waits: readonly number[];
  /** Resolves once `count` waits were asked for. */
  untilWaits(count: number): Promise<readonly number[]>;
}

export function testClock(onWait: (ms: number, index: number) => unknown = () => undefined): TestClock {
  const waits: number[] = [];
  const changes = watched();
  return {
    waits,
    async sleep(ms, signal) {
      signal.throwIfAborted();
      const index = waits.push(ms) - 1;
      changes.changed();
      const how = onWait(ms, index);
      if (how === 'hold') {
        await new Promise<never>((_, reject) => {
          signal.addEventListener(
            'abort',
            () => {
              reject(signal.reason as Error);
            },
            { once: true },
          );
        });
      }
      if (how instanceof Promise) await how;
      signal.throwIfAborted();
    },
    untilWaits(count) {
      return changes.until(
        () => waits.length >= count && waits,
        () => `${waits.length} of ${count} waits asked for: ${JSON.stringify(waits)}`,
      );
    },
  };
}

/**
 * A sequence of deliveries with consecutive repeats collapsed. Retries repeat an event right away, and so does
 * the redelivery at-least-once allows: each event's position is committed before the next event of its
 * partition is delivered, so a redelivery (after a rebalance, or a commit that failed) can only repeat the event
 * in hand. Anything else (a skip, a reordering, a replay of older events) shows in what is left.
 */
export function withoutRepeats(ids: readonly string[]): string[] {
  return ids.filter((id, index) => index === 0 || ids[index - 1] !== id);
}
