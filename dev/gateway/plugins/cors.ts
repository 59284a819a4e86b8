import type { OutgoingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { requestHeader, type GatewayPlugin } from '../gateway-plugin';
import { originHeaders, originRegex, PLAIN_ORIGIN } from './cors-origin';

function isOriginPattern(entry: string): boolean {
  if (entry === '*' || PLAIN_ORIGIN.test(entry)) return true;
  try {
    originRegex(entry);
    return true;
  } catch {
    return false;
  }
}

const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];

/** Kong's cors config with its defaults. */
export const CorsConfig = z.strictObject({
  origins: z
    .array(z.string().min(1).refine(isOriginPattern, 'is not a valid origin regex'))
    .nullable()
    .default(null),
  headers: z.array(z.string().min(1)).nullable().default(null),
  exposed_headers: z.array(z.string().min(1)).nullable().default(null),
  methods: z.array(z.string().min(1)).default(DEFAULT_METHODS),
  max_age: z.number().nullable().default(null),
  credentials: z.boolean().default(false),
  private_network: z.boolean().default(false),
  preflight_continue: z.boolean().default(false),
  allow_origin_absent: z.boolean().default(true),
});
export type CorsConfig = z.infer<typeof CorsConfig>;

/** Kong priority 2000: before authentication, so a preflight is answered without a token. */
const PRIORITY = 2000;

/**
 * Kong's cors: answers a preflight (OPTIONS with Origin and Access-Control-Request-Method) itself with 200 and
 * the Access-Control-Allow-* headers, unless `preflight_continue`; on every other response sets
 * Access-Control-Allow-Origin (and -Credentials, -Expose-Headers). Like Kong, it only sees requests that matched
 * a route, so a route that should accept preflights must list OPTIONS in its methods.
 */
export function corsPlugin(config: CorsConfig): GatewayPlugin {
  const setOrigin = originHeaders(config.origins ?? [], config.credentials);
  return {
    name: 'cors',
    priority: PRIORITY,
    access(ctx) {
      const origin = requestHeader(ctx.req, 'origin');
      const preflight =
        ctx.method === 'OPTIONS' &&
        origin !== undefined &&
        requestHeader(ctx.req, 'access-control-request-method') !== undefined;
      if (preflight) {
        if (config.preflight_continue) return undefined;
        const headers: OutgoingHttpHeaders = {};
        setOrigin(headers, origin);
        const requested = requestHeader(ctx.req, 'access-control-request-headers');
        const allowHeaders = config.headers?.length ? config.headers.join(',') : requested;
        if (allowHeaders !== undefined) headers['access-control-allow-headers'] = allowHeaders;
        headers['access-control-allow-methods'] = config.methods.join(',');
        if (config.max_age !== null) headers['access-control-max-age'] = String(config.max_age);
        if (
          config.private_network &&
          requestHeader(ctx.req, 'access-control-request-private-network') === 'true'
        ) {
          headers['access-control-allow-private-network'] = 'true';
        }
        return { status: 200, headers };
      }
      ctx.headerFilters.push((headers) => {
        if (origin === undefined && !config.allow_origin_absent) return;
        setOrigin(headers, origin);
        if (config.exposed_headers?.length) {
          headers['access-control-expose-headers'] = config.exposed_headers.join(',');
        }
      });
      return undefined;
    },
  };
}
