import type { IncomingHttpHeaders } from 'node:http';
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import {
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
  URL_PATH,
} from './span-attributes';
import { tracer } from './tracer';

/** The SERVER span of one HTTP request, and the context its handler runs in (the span active). */
export interface HttpServerSpan {
  readonly span: Span;
  readonly context: Context;
}

/**
 * Starts the span of a request, child of the caller's span when the request carries W3C trace context
 * (`traceparent`, `tracestate`; the global propagator reads them, so with tracing off nothing is read). Named by the
 * method alone until the route is known (semantic conventions: a span name never holds a raw path). Only the path is
 * recorded: the query may hold a user's search words, and headers and bodies may hold tokens and passwords.
 */
export function startHttpServerSpan(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): HttpServerSpan {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { [HTTP_REQUEST_METHOD]: method, [URL_PATH]: path } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends the span with the route template that matched (if one did) and the status answered; a 5xx is an error. */
export function endHttpServerSpan(
  span: Span,
  method: string,
  route: string | undefined,
  status: number,
): void {
  if (route !== undefined) span.updateName(`${method} ${route}`).setAttribute(HTTP_ROUTE, route);
  span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
  // No message: an error's text may carry internals (a connection string); the logs have it, with the same ids.
  if (status >= 500) span.setAttribute(ERROR_TYPE, String(status)).setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
