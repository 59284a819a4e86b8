import {
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
} from '../tracing/span-attributes';
import { DURATION_BUCKETS_S, lazyInstruments, secondsSince } from './meter';

const instruments = lazyInstruments((meter) => ({
  duration: meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  }),
}));

/** The methods the semantic conventions name; any other is `_OTHER`, so a caller cannot make up series. */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/**
 * Records one answered request in `http.server.request.duration` (seconds), by method, route template (the
 * declared path, `/v1/orders/{id}`, never the raw path: absent when no route matched) and status; a 5xx also
 * carries `error.type`, as its span does (shared/tracing/http-server-span.ts).
 */
export function recordHttpRequest(
  request: { readonly method: string; readonly route: string | undefined; readonly status: number },
  startedAt: number,
): void {
  const { method, route, status } = request;
  instruments().duration.record(secondsSince(startedAt), {
    [HTTP_REQUEST_METHOD]: KNOWN_METHODS.has(method) ? method : '_OTHER',
    ...(route === undefined ? {} : { [HTTP_ROUTE]: route }),
    [HTTP_RESPONSE_STATUS_CODE]: status,
    ...(status >= 500 ? { [ERROR_TYPE]: String(status) } : {}),
  });
}
