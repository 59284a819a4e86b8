import { z } from 'zod';
import { isSafeId } from '../../../shared/runtime/request-id';
import { UNAUTHORIZED_NO_STORE_LUA } from '../../deploy/edge-headers';
import { REQUEST_ID_GUARD_LUA } from '../../deploy/request-id-guard';
import { requestHeader, type GatewayPlugin } from '../gateway-plugin';

/**
 * Kong's pre-function as kong.yml uses it: the request-id guard in `access`, and no-store on 401s in
 * `header_filter`, those snippets and nothing else. The dev gateway cannot run Lua, so any other code is refused
 * rather than skipped.
 */
export const PreFunctionConfig = z.strictObject({
  access: z.tuple([z.literal(REQUEST_ID_GUARD_LUA)], {
    error:
      'the dev gateway runs only the request-id guard (dev/deploy/request-id-guard.ts) as a pre-function access',
  }),
  header_filter: z
    .tuple([z.literal(UNAUTHORIZED_NO_STORE_LUA)], {
      error:
        'the dev gateway runs only the 401 no-store (dev/deploy/edge-headers.ts) as a pre-function header_filter',
    })
    .optional(),
});
export type PreFunctionConfig = z.infer<typeof PreFunctionConfig>;

/** Kong's pre-function priority: before every other plugin, correlation-id included. */
const PRIORITY = 1_000_000;

/**
 * The snippets' logic. `access`: an incoming X-Request-ID that is not a plain token of 1 to 128 characters (an
 * empty one included) is dropped, as if the caller sent none, so correlation-id makes a fresh one.
 * `header_filter`: a 401, whoever answered it, is `Cache-Control: no-store`.
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
          },
        }),
  };
}
