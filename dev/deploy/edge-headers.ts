// The headers every answer leaves Kong with, Kong's own answers (its 401, 404, 413, 429) included: plugins that
// produce an answer with kong.response.exit still go through every plugin's header_filter phase, and with no route
// matched Kong runs the global plugins' header_filter.

/** The header that stops browsers sniffing a type: the functions set it (shared/runtime), Kong adds it to the rest. */
export const NOSNIFF = { name: 'X-Content-Type-Options', value: 'nosniff' } as const;

/**
 * Kong's bundled response-transformer, globally: `add` sets a header only where the answer has none, so the
 * functions' own headers stay as they are.
 */
export const RESPONSE_TRANSFORMER_PLUGIN = {
  name: 'response-transformer',
  tags: ['ecom'],
  config: { add: { headers: [`${NOSNIFF.name}:${NOSNIFF.value}`] } },
} as const;

/**
 * A pre-function `header_filter` snippet: a 401 is never stored by a cache, Kong's own (the jwt plugin's) as the
 * functions' (which already say no-store). The dev gateway runs exactly this snippet's logic
 * (dev/gateway/plugins/pre-function.ts).
 */
export const UNAUTHORIZED_NO_STORE_LUA = [
  'if kong.response.get_status() == 401 then',
  '  kong.response.set_header("Cache-Control", "no-store")',
  'end',
].join('\n');
