import { z } from 'zod';
import { isSafeId } from '../../../shared/runtime/request-id';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/runtime/http-problem';
import { UNAUTHORIZED_NO_STORE_LUA } from '../../deploy/edge-headers';
import {
  GATEWAY_PROBLEM_BODY_LUA,
  GATEWAY_PROBLEM_HEADER_LUA,
  gatewayProblemBody,
  isGatewayRefusal,
} from '../../deploy/gateway-problems';
import { REQUEST_ID_GUARD_LUA } from '../../deploy/request-id-guard';
import { requestHeader, type GatewayPlugin } from '../gateway-plugin';

/**
 * Kong's pre-function as kong.yml uses it: the request-id guard in `access`; no-store on 401s and the problem
 * document's headers in `header_filter`; the problem document in `body_filter`; those snippets and nothing else. The
 * dev gateway cannot run Lua, so any other code is refused rather than skipped.
 */
export const PreFunctionConfig = z
  .strictObject({
    access: z.tuple([z.literal(REQUEST_ID_GUARD_LUA)], {
      error:
        'the dev gateway runs only the request-id guard (dev/deploy/request-id-guard.ts) as a pre-function access',
    }),
    header_filter: z
      .tuple([z.literal(UNAUTHORIZED_NO_STORE_LUA), z.literal(GATEWAY_PROBLEM_HEADER_LUA)], {
        error:
          'the dev gateway runs only the 401 no-store (dev/deploy/edge-headers.ts) and the problem headers ' +
          '(dev/deploy/gateway-problems.ts) as a pre-function header_filter',
      })
      .optional(),
    body_filter: z
      .tuple([z.literal(GATEWAY_PROBLEM_BODY_LUA)], {
        error:
          'the dev gateway runs only the problem document (dev/deploy/gateway-problems.ts) as a pre-function body_filter',
      })
      .optional(),
  })
  // The problem document's headers without its body (or the reverse) would answer a type its body is not.
  .refine((config) => (config.header_filter === undefined) === (config.body_filter === undefined), {
    message: 'header_filter and body_filter come together: the problem headers and the problem body',
  });
export type PreFunctionConfig = z.infer<typeof PreFunctionConfig>;

/** Kong's pre-function priority: before every other plugin, correlation-id included. */
const PRIORITY = 1_000_000;

/**
 * The snippets' logic. `access`: an incoming X-Request-ID that is not a plain token of 1 to 128 characters (an
 * empty one included) is dropped, as if the caller sent none, so correlation-id makes a fresh one.
 * `header_filter`: a 401, whoever answered it, is `Cache-Control: no-store`; a client error Kong answered itself is
 * `application/problem+json`. `body_filter`: that answer's body is the problem document (gateway-problems.ts).
 */
export function preFunctionPlugin(config: PreFunctionConfig, header: string): GatewayPlugin {
  return {
    name: 'pre-function',
    priority: PRIORITY,
    access(ctx) {
      const id = requestHeader(ctx.req, header);
      if (id !== undefined && !isSafeId(id)) {
        // What ngx.req.clear_header does: the plugins after this one and the upstream see no id.
        Reflect.deleteProperty(ctx.req.headers, header);
        Reflect.deleteProperty(ctx.upstreamHeaders, header);
      }
      return undefined;
    },
    ...(config.header_filter === undefined
      ? {}
      : {
          headerFilter(headers, response) {
            if (response.status === 401) headers['cache-control'] = 'no-store';
            if (isGatewayRefusal(response.status, response.source)) {
              headers['content-type'] = PROBLEM_CONTENT_TYPE;
              Reflect.deleteProperty(headers, 'content-length');
            }
          },
        }),
    ...(config.body_filter === undefined
      ? {}
      : {
          bodyFilter(body, response, headers) {
            if (!isGatewayRefusal(response.status, response.source)) return body;
            return gatewayProblemBody(response.status, body, headers['retry-after']);
          },
        }),
  };
}
