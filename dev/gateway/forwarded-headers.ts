import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { hostWithoutPort, type Scheme } from './https-only';

/**
 * Headers that describe one connection, not the message (RFC 9110, section 7.6.1), so a proxy must not pass them
 * on; `expect` too, because the gateway answers 100 Continue itself.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** A copy of the headers without the hop-by-hop ones, including those the Connection header names. */
export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const connection = headers.connection ?? '';
  const named = new Set(connection.split(',').map((token) => token.trim().toLowerCase()));
  const copy: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) copy[name] = value;
  }
  return copy;
}

/**
 * The X-Forwarded-* headers Kong sets when the client is not a trusted proxy (Kong's default): its own view of
 * protocol (the listener's: http or https), host, port and path replaces the client's, and the client's address is appended to
 * X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), with X-Real-IP beside it.
 */
export function forwardedHeaders(
  headers: IncomingHttpHeaders,
  request: {
    readonly clientIp: string;
    readonly path: string;
    readonly scheme: Scheme;
    readonly gatewayPort: number;
  },
): OutgoingHttpHeaders {
  const previous = [headers['x-forwarded-for'] ?? []].flat().join(', ');
  return {
    'x-forwarded-for': previous === '' ? request.clientIp : `${previous}, ${request.clientIp}`,
    'x-forwarded-proto': request.scheme,
    'x-forwarded-host': hostWithoutPort(headers.host ?? ''),
    'x-forwarded-port': String(request.gatewayPort),
    'x-forwarded-path': request.path,
    'x-real-ip': request.clientIp,
  };
}
