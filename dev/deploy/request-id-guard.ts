import { REQUEST_ID_HEADER, SAFE_ID_MAX_LENGTH } from '../../shared/runtime/request-id';

/**
 * Kong's correlation-id keeps any non-empty incoming id and echoes it: a caller could put anything in our answers
 * and logs. This snippet (Kong's bundled pre-function plugin, which runs before correlation-id) drops an id that is
 * not a short plain token, the functions' own rule (shared/runtime/request-id.ts), so correlation-id makes a fresh
 * one. The dev gateway runs exactly this snippet's logic (dev/gateway/plugins/request-id-guard.ts).
 */
export const REQUEST_ID_GUARD_LUA = [
  `local id = kong.request.get_header("${REQUEST_ID_HEADER}")`,
  // The functions' rule in Lua's own patterns (%w: ASCII letters and digits; no ngx.re, which sandboxes may deny).
  `if id and (#id > ${SAFE_ID_MAX_LENGTH} or id:find("[^%w._:%-]")) then`,
  `  kong.service.request.clear_header("${REQUEST_ID_HEADER}")`,
  'end',
].join('\n');

/** The global pre-function entry of kong.yml that runs the guard in the access phase. */
export const REQUEST_ID_GUARD_PLUGIN = {
  name: 'pre-function',
  tags: ['ecom'],
  config: { access: [REQUEST_ID_GUARD_LUA] },
} as const;
