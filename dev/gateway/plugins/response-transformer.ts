import { z } from 'zod';
import type { GatewayPlugin } from '../gateway-plugin';

/** Kong's `name:value` header entry (its colon_headers): a name without colons, then the value. */
const ColonHeader = z.string().regex(/^[^:]+:.*$/, 'must be "name:value"');

/**
 * Kong's response-transformer as kong.yml uses it: `add.headers` only. Its other transforms (remove, rename,
 * replace, append, JSON bodies) are refused rather than skipped, so a kong.yml that needs them fails here.
 */
export const ResponseTransformerConfig = z.strictObject(
  { add: z.strictObject({ headers: z.array(ColonHeader).default([]) }).prefault({}) },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `the dev gateway's response-transformer runs add.headers only, not ${issue.keys.join(', ')}`
        : undefined,
  },
);
export type ResponseTransformerConfig = z.infer<typeof ResponseTransformerConfig>;

/** Kong's response-transformer priority: after the authentication and limit plugins. */
const PRIORITY = 800;

/** `name:value` as Kong splits it: the name up to the first colon, the value after the colons that follow. */
function splitHeader(entry: string): [string, string] {
  const at = entry.indexOf(':');
  return [entry.slice(0, at).toLowerCase(), entry.slice(at + 1).replace(/^:+/, '')];
}

/**
 * Kong's response-transformer `add.headers`: in `header_filter`, each header is set only where the answer has none,
 * on every answer, the upstream's and the gateway's own (exits, and as a global plugin "no Route matched").
 */
export function responseTransformerPlugin(config: ResponseTransformerConfig): GatewayPlugin {
  const added = config.add.headers.map(splitHeader);
  return {
    name: 'response-transformer',
    priority: PRIORITY,
    access: () => undefined,
    headerFilter(headers) {
      for (const [name, value] of added) if (headers[name] === undefined) headers[name] = value;
    },
  };
}
