import type { Request } from '@google-cloud/functions-framework';
import { HTTP, type CloudEvent } from 'cloudevents';
import { AppError } from '../errors/app-error';
import { withJsonData } from './cloud-event-data';

/**
 * The one CloudEvent a delivery carries, in binary or structured mode, validated, its JSON data parsed. Anything
 * else (a batch, a missing attribute, malformed JSON) throws an `invalid` AppError: 400, never retried.
 */
export function parseEvent(req: Request): CloudEvent<unknown> {
  const raw = (req as Request & { rawBody?: Buffer }).rawBody;
  let parsed: CloudEvent<unknown> | CloudEvent<unknown>[];
  try {
    // The parser builds CloudEvent instances; its declared return type is the plain attribute interface.
    parsed = HTTP.toEvent<unknown>({ headers: req.headers, body: raw?.toString('utf8') ?? '' }) as
      CloudEvent<unknown> | CloudEvent<unknown>[];
  } catch (error) {
    throw invalidEvent(error);
  }
  if (Array.isArray(parsed)) {
    throw new AppError('invalid', 'EVENT.BATCH_UNSUPPORTED', 'Send one CloudEvent per request.');
  }
  try {
    // HTTP.toEvent does not validate: a request without the required attributes must still be refused.
    parsed.validate();
  } catch (error) {
    throw invalidEvent(error);
  }
  try {
    return withJsonData(parsed);
  } catch (error) {
    throw invalidEvent(error);
  }
}

function invalidEvent(cause: unknown): AppError {
  const detail = cause instanceof Error ? cause.message : 'not a CloudEvent';
  return new AppError('invalid', 'EVENT.INVALID', `Not a valid CloudEvent: ${detail}`, [], { cause });
}
