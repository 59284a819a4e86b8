import type { OutgoingHttpHeaders } from 'node:http';
import { constants, type Http2ServerResponse } from 'node:http2';
import type { GatewayExit, ResponseFilters, ResponseInfo } from './gateway-plugin';
import { applyHeaderFilters } from './gateway-response';

/** Kong's HTTP_TO_GRPC_STATUS (pdk/response.lua): the grpc-status of an exit's HTTP status. */
const HTTP_TO_GRPC_STATUS: Readonly<Record<number, number>> = {
  200: 0,
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  429: 8,
  499: 1,
  500: 13,
  501: 12,
  503: 14,
  504: 4,
};

/** Kong's GRPC_MESSAGES: the grpc-message of an exit with no message of its own. */
const GRPC_MESSAGES: readonly string[] = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** The grpc-status Kong gives an exit: from its table, else by the status's class (5xx 13, 4xx 3, 2xx 0), else 2. */
export function grpcStatusOf(status: number): number {
  const mapped = HTTP_TO_GRPC_STATUS[status];
  if (mapped !== undefined) return mapped;
  if (status >= 500 && status <= 599) return 13;
  if (status >= 400 && status <= 499) return 3;
  if (status >= 200 && status <= 299) return 0;
  return 2;
}

/**
 * Answers a gRPC call from the gateway itself, as Kong's `kong.response.exit` does for one: the HTTP status, its
 * `grpc-status`, the exit's message in `grpc-message` (or the status's name) and no body; then the header and body
 * filters, as on any exit. So kong.yml's problem+json rewrite of 4xx exits applies here as on Kong: the client sees
 * the HTTP status (401 maps to UNAUTHENTICATED in gRPC clients) and the grpc-status beside it.
 */
export function sendGrpcExit(res: Http2ServerResponse, exit: GatewayExit, filters: ResponseFilters): void {
  if (res.headersSent || res.destroyed) {
    // Too late for a status: resetting the stream is the only honest signal left.
    res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  const response: ResponseInfo = { status: exit.status, source: 'exit' };
  const grpcStatus = grpcStatusOf(exit.status);
  const message = exit.body?.['message'];
  const headers: OutgoingHttpHeaders = {
    ...exit.headers,
    'grpc-status': String(grpcStatus),
    'grpc-message': typeof message === 'string' ? message : GRPC_MESSAGES[grpcStatus],
    'content-length': 0,
  };
  applyHeaderFilters(headers, filters.headers, response);
  const body = filters.bodies.reduce((text, filter) => filter(text, response, headers), '');
  headers['content-length'] ??= Buffer.byteLength(body);
  res.writeHead(exit.status, headers).end(body);
}
