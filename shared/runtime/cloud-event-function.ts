import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { context } from '@opentelemetry/api';
import type { CloudEvent } from 'cloudevents';
import type { z } from 'zod';
import type { EventDefinition } from '../../events/event-definition';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import type { Handled } from '../domain/once-per-event';
import { DeliveryAttempts } from './delivery-attempts';
import { deliveryOutcome } from './delivery-outcome';
import { sendProblem } from './function-server';
import { parseEvent } from './parse-cloud-event';
import { fieldIssues } from './zod-issues';
import { endConsumerSpan, startConsumerSpan } from '../tracing/consumer-span';
import { recordDelivery, type ConsumedDelivery } from '../metrics/consumer-metrics';

/** A delivered event whose attributes and data passed validation. */
export interface ReceivedEvent<Data> {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | undefined;
  readonly time: Date;
  readonly data: Data;
  readonly traceparent: string | undefined;
}

export interface EventContext {
  readonly logger: Logger;
}

export type { Handled } from '../domain/once-per-event';

/** One event type a function subscribes to, and what it does with it. */
export interface Subscription<Data = unknown> {
  readonly event: EventDefinition<z.ZodType<Data>>;
  handle(event: ReceivedEvent<Data>, context: EventContext): Promise<Handled>;
}

export function subscribe<Data>(subscription: Subscription<Data>): Subscription {
  return subscription;
}

/**
 * The functions-framework handler of a CloudEvent function, registered with the `http` signature so that it
 * chooses its status codes (the cloudEvent signature can only answer 204 or 500): it parses the event in binary
 * or structured mode, validates its attributes and its data against the catalog in events/, runs the
 * subscription, and answers 204 when processed or a duplicate, 400 for an invalid event (dead-lettered, never
 * retried), 5xx for a transient failure (retried); see delivery-outcome.ts.
 */
export function cloudEventHandler(options: {
  readonly subscriptions: readonly Subscription[];
  readonly logger: Logger;
}): HttpFunction {
  const byType = new Map(options.subscriptions.map((s) => [s.event.type, s]));
  const attempts = new DeliveryAttempts();

  /** Validates and hands the event to its subscription; answers 204, or the problem of the delivery outcome. */
  async function consume(parsed: Parsed, res: Response): Promise<ConsumedDelivery> {
    let logger = options.logger;
    try {
      if ('error' in parsed) throw parsed.error;
      const { event } = parsed;
      logger = logger.child({ eventId: event.id, eventType: event.type, traceparent: event.traceparent });
      const subscription = byType.get(event.type);
      if (!subscription) {
        throw new AppError(
          'invalid',
          'EVENT.UNSUPPORTED_TYPE',
          `This function does not handle ${event.type}.`,
        );
      }
      const data = subscription.event.data.safeParse(event.data);
      if (!data.success) {
        const fields = fieldIssues(data.error, 'data');
        throw new AppError('invalid', 'EVENT.INVALID_DATA', `Invalid data for ${event.type}.`, fields);
      }
      const handled = await subscription.handle(
        {
          id: event.id,
          type: event.type,
          source: event.source,
          subject: event.subject,
          time: new Date(event.time ?? Date.now()),
          data: data.data,
          traceparent: typeof event.traceparent === 'string' ? event.traceparent : undefined,
        },
        { logger },
      );
      logger.info(`event ${handled}`);
      res.status(204).end();
      return { outcome: handled, status: 204, retried: false };
    } catch (error) {
      const outcome = deliveryOutcome(error);
      const log = outcome.problem.status >= 500 ? logger.error : logger.warn;
      log(`event refused: ${outcome.action}`, { code: outcome.problem.code, error });
      sendProblem(res, outcome.problem);
      return { outcome: 'refused', status: outcome.problem.status, retried: outcome.action === 'retry' };
    }
  }

  // Each delivery in its CONSUMER span, child of the appender's span (the event's traceparent), active while the
  // subscription runs so that its SQL, its outbox appends and its log lines belong to it.
  return (req: Request, res: Response) => {
    const started = performance.now();
    let parsed: Parsed;
    try {
      parsed = { event: parseEvent(req) };
    } catch (error) {
      parsed = { error };
    }
    const event = 'event' in parsed ? parsed.event : undefined;
    const attempt = event ? attempts.attempt(event.id) : 1;
    const { span, context: spanContext } = startConsumerSpan(event, attempt);
    let result: ConsumedDelivery = { outcome: 'refused', status: 500, retried: true };
    return context.with(spanContext, async () => {
      try {
        result = await consume(parsed, res);
      } finally {
        if (event) attempts.settled(event.id, attempt, result.retried);
        endConsumerSpan(span, result.outcome, result.status);
        recordDelivery({ type: event?.type, subscribed: byType }, result, started);
      }
    });
  };
}

/** A request parsed as one CloudEvent, or why it is not one. */
type Parsed = { readonly event: CloudEvent<unknown> } | { readonly error: unknown };
