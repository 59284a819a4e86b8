import { z } from 'zod';
import { requestHeader, type GatewayExit, type GatewayPlugin, type RequestContext } from '../gateway-plugin';
import { readBodyUpTo } from '../read-body-up-to';

/** Kong's request-size-limiting config with its defaults (128 megabytes). */
export const RequestSizeLimitingConfig = z.strictObject({
  allowed_payload_size: z.number().int().positive().default(128),
  size_unit: z.enum(['megabytes', 'kilobytes', 'bytes']).default('megabytes'),
  require_content_length: z.boolean().default(false),
});
export type RequestSizeLimitingConfig = z.infer<typeof RequestSizeLimitingConfig>;

/** Kong's units are binary: a kilobyte is 1024 bytes. */
const UNIT_BYTES = { megabytes: 2 ** 20, kilobytes: 2 ** 10, bytes: 1 } as const;

/** Kong priority 951: after authentication, before rate limiting (a refused body is not counted). */
const PRIORITY = 951;

function tooLarge(ctx: RequestContext): GatewayExit {
  // A client waiting for 100 Continue has sent nothing yet: Kong answers 417 so it never does.
  const expect = requestHeader(ctx.req, 'expect')?.trim().toLowerCase();
  return { status: expect === '100-continue' ? 417 : 413, body: { message: 'Request size limit exceeded' } };
}

/**
 * Kong's request-size-limiting: a declared Content-Length over the limit is refused at once; a body of unknown
 * length (chunked, or HTTP/2 with no Content-Length, as a gRPC call comes) is read up to the limit before anything
 * is proxied, refused at the first byte over it, and otherwise forwarded from that buffer.
 */
export function requestSizeLimitingPlugin(config: RequestSizeLimitingConfig): GatewayPlugin {
  const limit = config.allowed_payload_size * UNIT_BYTES[config.size_unit];
  return {
    name: 'request-size-limiting',
    priority: PRIORITY,
    async access(ctx) {
      const declared = requestHeader(ctx.req, 'content-length');
      if (declared !== undefined && declared !== '' && Number.isFinite(Number(declared))) {
        return Number(declared) > limit ? tooLarge(ctx) : undefined;
      }
      if (config.require_content_length) {
        return { status: 411, body: { message: 'A valid Content-Length header is required' } };
      }
      // HTTP/1.1 without either header has no body; HTTP/2 frames its body without them.
      if (ctx.req.headers['transfer-encoding'] === undefined && ctx.req.httpVersionMajor < 2)
        return undefined;
      ctx.continueBody();
      const read = await readBodyUpTo(ctx.req, limit);
      if (read.kind === 'too-large') return tooLarge(ctx);
      if (read.kind === 'aborted') return { status: 400, body: { message: 'Bad request' } };
      ctx.body = read.body;
      return undefined;
    },
  };
}
