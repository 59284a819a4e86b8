import { REQUEST_ID_HEADER, SAFE_ID_MAX_LENGTH } from '../../shared/runtime/request-id';

/**
 * Kong's correlation-id keeps any incoming id and echoes it: a caller could put anything in our answers and logs.
 * This snippet (Kong's bundled pre-function plugin, which runs before correlation-id) drops an id that is not a
 * plain token of 1 to SAFE_ID_MAX_LENGTH characters, the functions' own rule (shared/runtime/request-id.ts), so
 * correlation-id makes a fresh one; an empty id is dropped too. The dev gateway runs exactly this snippet's logic
 * (dev/gateway/plugins/pre-function.ts).
 */
export const REQUEST_ID_GUARD_LUA = [
  `local id = kong.request.get_header("${REQUEST_ID_HEADER}")`,
  // The functions' rule in Lua's own patterns (%w: ASCII letters and digits; no ngx.re, which sandboxes may deny).
  `if id and (#id == 0 or #id > ${SAFE_ID_MAX_LENGTH} or id:find("[^%w._:%-]")) then`,
  `  kong.service.request.clear_header("${REQUEST_ID_HEADER}")`,
  'end',
].join('\n');
