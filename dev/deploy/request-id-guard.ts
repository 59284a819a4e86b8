import { REQUEST_ID_HEADER, SAFE_ID_PATTERN } from '../../shared/runtime/request-id';

/**
 * Kong's correlation-id keeps any non-empty incoming id and echoes it: a caller could put anything in our answers
 * and logs. This snippet (Kong's bundled pre-function plugin, which runs before correlation-id) drops an id that is
 * not a short plain token, the functions' own rule (shared/runtime/request-id.ts), so correlation-id makes a fresh
 * one. The dev gateway runs exactly this snippet's logic (dev/gateway/plugins/request-id-guard.ts).
 */
export const REQUEST_ID_GUARD_LUA = [
  `local id = kong.request.get_header("${REQUEST_ID_HEADER}")`,
  `if id and not ngx.re.find(id, [[${SAFE_ID_PATTERN}]], "jo") then`,
  `  kong.service.request.clear_header("${REQUEST_ID_HEADER}")`,
  'end',
].join('\n');

/** The global pre-function entry of kong.yml that runs the guard in the access phase. */
export const REQUEST_ID_GUARD_PLUGIN = {
  name: 'pre-function',
  tags: ['ecom'],
  config: { access: [REQUEST_ID_GUARD_LUA] },
} as const;
