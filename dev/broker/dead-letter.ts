import type { CloudEvent } from 'cloudevents';
import type { DeliveryResult } from './delivery';
import type { TriggerConfig } from './trigger-config';

/** An event a Trigger could not deliver, as `GET /dead-letters` lists it. */
export interface DeadLetter {
  /** `<namespace>/<trigger name>`. */
  readonly trigger: string;
  /** Where the last attempt went (a Service's local address, or the Trigger's uri). */
  readonly subscriber: string;
  /** The subscriber's last status; 0 when it could not be reached. */
  readonly status: number;
  readonly attempts: number;
  readonly reason: string;
  /** The Trigger's dead-letter sink; null when it has none (Knative would have dropped the event). */
  readonly deadLetterSink: string | null;
  readonly deadLetteredAt: string;
  /** The event in structured JSON form, without the dead-letter extensions. */
  readonly event: Record<string, unknown>;
}

// Knative's dead-letter extensions (knativeerrordest, -code, -data: base64), and the dev broker's own.
const EXTENSIONS = {
  dest: 'knativeerrordest',
  code: 'knativeerrorcode',
  data: 'knativeerrordata',
  trigger: 'devbrokertrigger',
  attempts: 'devbrokerattempts',
  sink: 'devbrokersink',
  target: 'devbrokertarget',
} as const;

/**
 * The event as the dead-letter sink receives it: with the reason of the failure as extensions. `destination` is
 * what Knative writes (a Service's cluster address), `lastTarget` where the dev broker's last attempt went.
 */
export function toDeadLetterEvent(
  event: CloudEvent<unknown>,
  trigger: TriggerConfig,
  where: { readonly destination: string; readonly lastTarget: string },
  result: DeliveryResult,
): CloudEvent<unknown> {
  return event.cloneWith({
    [EXTENSIONS.dest]: where.destination,
    [EXTENSIONS.target]: where.lastTarget,
    [EXTENSIONS.code]: String(result.status),
    [EXTENSIONS.data]: Buffer.from(result.error ?? '').toString('base64'),
    [EXTENSIONS.trigger]: `${trigger.namespace}/${trigger.name}`,
    [EXTENSIONS.attempts]: String(result.attempts),
    [EXTENSIONS.sink]: trigger.delivery.deadLetterSink ?? '',
  });
}

/** Reads a dead-letter event (from the DLQ topic or the embedded table) back into a listing entry. */
export function fromDeadLetterEvent(deadLetter: CloudEvent<unknown>, deadLetteredAt: Date): DeadLetter {
  const {
    [EXTENSIONS.dest]: dest,
    [EXTENSIONS.code]: code,
    [EXTENSIONS.data]: data,
    ...rest
  } = deadLetter.toJSON();
  const {
    [EXTENSIONS.trigger]: trigger,
    [EXTENSIONS.attempts]: attempts,
    [EXTENSIONS.sink]: sink,
    [EXTENSIONS.target]: target,
    ...event
  } = rest;
  const status = Number(code);
  const detail = typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : '';
  return {
    trigger: String(trigger),
    // Letters kept before the dev broker wrote its own target have Knative's destination only.
    subscriber: String(target ?? dest),
    status,
    attempts: Number(attempts),
    reason: status === 0 ? `unreachable: ${detail}` : `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    deadLetterSink: typeof sink === 'string' && sink !== '' ? sink : null,
    deadLetteredAt: deadLetteredAt.toISOString(),
    // toJSON lists the optional attributes the event does not have as undefined.
    event: Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)),
  };
}
