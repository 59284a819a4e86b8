import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ERROR_TYPE } from './span-attributes';

/**
 * Marks `span` failed with the error's class (`error.type`): never its message, nor an exception event carrying
 * it, since a message may quote a value (MySQL's "Duplicate entry 'alice@…'", a broker's address).
 */
export function markFailed(span: Span, error: unknown): void {
  span
    .setAttribute(ERROR_TYPE, error instanceof Error ? error.name : 'unknown')
    .setStatus({ code: SpanStatusCode.ERROR });
}
