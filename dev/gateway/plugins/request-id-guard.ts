import { z } from 'zod';
import { isSafeId } from '../../../shared/runtime/request-id';
import { REQUEST_ID_GUARD_LUA } from '../../deploy/request-id-guard';
import { requestHeader, type GatewayPlugin } from '../gateway-plugin';

/**
 * Kong's pre-function as kong.yml uses it: the request-id guard snippet and nothing else. The dev gateway cannot run
 * Lua, so any other code is refused rather than skipped.
 */
export const PreFunctionConfig = z.strictObject({
  access: z.tuple([z.literal(REQUEST_ID_GUARD_LUA)], {
    error:
      'the dev gateway runs only the request-id guard (dev/deploy/request-id-guard.ts) as a pre-function',
  }),
});
export type PreFunctionConfig = z.infer<typeof PreFunctionConfig>;

/** Kong's pre-function priority: before every other plugin, correlation-id included. */
const PRIORITY = 1_000_000;

/** The guard: an incoming X-Request-ID that is not a short plain token is dropped, as if the caller sent none. */
export function requestIdGuardPlugin(header: string): GatewayPlugin {
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
  };
}
