import { realSleep, type Sleep } from '../../dev/broker/delivery';

/**
 * The broker's waits, `divisor` times shorter: knative/'s Triggers retry for minutes (long enough to outlast a
 * database failover), which a test that waits for their retries to run out cannot spend. Every attempt still
 * happens, in the same order, with the same backoff between them relative to each other.
 */
export function scaledSleep(divisor: number): Sleep {
  return (ms, signal) => realSleep(ms / divisor, signal);
}
