import { problemFor, type Problem } from './http-problem';

/** Status codes on which Knative's Kafka broker redelivers (with the Trigger's backoff) instead of dead-lettering. */
const RETRIED = new Set([404, 408, 409, 429]);

/** How the broker will treat our answer to one delivery. */
export interface DeliveryOutcome {
  readonly problem: Problem;
  /** `retry`: redelivered with backoff; `dead-letter`: sent to the Trigger's dead-letter sink at once. */
  readonly action: 'retry' | 'dead-letter';
}

/**
 * The one mapping from a failed delivery to the broker's next step. Invalid events (400) and business-rule
 * refusals (422) will never succeed, so they go to the dead-letter sink without retries; a missing resource (404),
 * a conflict (409), rate limiting (429) and every 5xx may pass later, so the broker retries them.
 */
export function deliveryOutcome(error: unknown): DeliveryOutcome {
  const problem = problemFor(error);
  const retried = problem.status >= 500 || RETRIED.has(problem.status);
  return { problem, action: retried ? 'retry' : 'dead-letter' };
}
