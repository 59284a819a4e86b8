import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { context } from '@opentelemetry/api';
import type { CloudEvent } from 'cloudevents';
import type { ReceivedDeadLetter } from '../domain/dead-letter';
import type { DomainEvent } from '../domain/domain-event';
import type { Logger } from '../log/logger';
import { endConsumerSpan, startConsumerSpan } from '../tracing/consumer-span';
import { DEAD_LETTER_SUBSCRIBER } from '../tracing/span-attributes';
import { deliveryOutcome } from './delivery-outcome';
import { sendProblem } from './function-server';
import { parseEvent } from './parse-cloud-event';

export type DeadLetterHandle = (
  letter: ReceivedDeadLetter,
  context: { readonly logger: Logger },
) => Promise<void>;

/**
 * The handler of the function a KafkaSource on the dead-letter topic delivers to: each dead letter, parsed from
 * its CloudEvent (binary or structured mode) and the extensions Knative adds, goes to `handle` inside a CONSUMER
 * span of the event's own trace, so a dead-lettered step shows in the order's trace. 204 once handled; a failure
 * answers through the one delivery mapping (a 5xx is redelivered by the KafkaSource); a request that is no
 * CloudEvent is 400.
 */
export function deadLetterHandler(options: {
  readonly handle: DeadLetterHandle;
  readonly logger: Logger;
}): HttpFunction {
  return (req: Request, res: Response) => {
    let event: CloudEvent<unknown>;
    try {
      event = parseEvent(req);
    } catch (error) {
      refuse(res, error, options.logger);
      return;
    }
    const letter = toDeadLetter(event);
    const { span, context: spanContext } = startConsumerSpan(event);
    span.updateName(`${event.type} dead letter`);
    if (letter.subscriber) span.setAttribute(DEAD_LETTER_SUBSCRIBER, letter.subscriber);
    const logger = options.logger.child({ eventId: letter.id, eventType: letter.type });
    return context.with(spanContext, async () => {
      let status = 500;
      try {
        await options.handle(letter, { logger });
        status = 204;
        res.status(204).end();
      } catch (error) {
        status = refuse(res, error, logger);
      } finally {
        endConsumerSpan(span, status < 300 ? 'processed' : 'refused', status);
      }
    });
  };
}

function refuse(res: Response, error: unknown, logger: Logger): number {
  const { problem, action } = deliveryOutcome(error);
  (problem.status >= 500 ? logger.error : logger.warn)(`dead letter refused: ${action}`, {
    code: problem.code,
    error,
  });
  sendProblem(res, problem);
  return problem.status;
}

/** Knative's dead-letter extensions (eventing's data plane): the destination, its status, its answer in base64. */
const DESTINATION = 'knativeerrordest';
const CODE = 'knativeerrorcode';
const DATA = 'knativeerrordata';

/** The dead letter a CloudEvent of the dead-letter topic is. */
export function toDeadLetter(event: CloudEvent<unknown>): ReceivedDeadLetter {
  const extension = (name: string) => {
    const value: unknown = event[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const destination = extension(DESTINATION);
  const code = Number(extension(CODE));
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    destination,
    subscriber: destination === undefined ? undefined : serviceNameOf(destination),
    status: Number.isInteger(code) && code > 0 ? code : undefined,
    problemCode: problemCodeOf(extension(DATA)),
    event: replayableEvent(event, extension),
  };
}

/**
 * The event as its publisher sent it, to publish again: its own attributes and trace context, keyed as it was
 * (`partitionkey`, else its subject); Knative's extensions stay behind. Undefined for an event without a subject or
 * whose data is no JSON object: none of this shop's.
 */
function replayableEvent(
  event: CloudEvent<unknown>,
  extension: (name: string) => string | undefined,
): DomainEvent | undefined {
  const { data, subject } = event;
  if (subject === undefined || subject === '' || !isObject(data)) return undefined;
  const time = event.time === undefined ? undefined : new Date(event.time);
  const traceparent = extension('traceparent');
  const tracestate = extension('tracestate');
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    subject,
    partitionKey: extension('partitionkey') ?? subject,
    time: time && !Number.isNaN(time.getTime()) ? time : new Date(),
    data,
    ...(traceparent === undefined ? {} : { traceparent }),
    ...(tracestate === undefined ? {} : { tracestate }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);

/** `http://capture-payment.ecom.svc.cluster.local/…` -> `capture-payment`: how Knative addresses a Service. */
function serviceNameOf(destination: string): string | undefined {
  const host = URL.canParse(destination) ? new URL(destination).hostname : '';
  return /^([a-z][a-z0-9-]*)\.[a-z0-9-]+\.svc(\.|$)/.exec(host)?.[1];
}

/** The `code` of a problem+json answer (`PAYMENT.DECLINED`), read from base64; nothing else of the answer is kept. */
function problemCodeOf(data: string | undefined): string | undefined {
  if (data === undefined) return undefined;
  try {
    const body: unknown = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
