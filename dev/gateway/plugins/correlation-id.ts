import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requestHeader, type GatewayPlugin } from '../gateway-plugin';

/** Kong's correlation-id config with its defaults. The `tracker` generator (nginx connection data) is not offered. */
export const CorrelationIdConfig = z.strictObject({
  header_name: z.string().min(1).default('Kong-Request-ID'),
  generator: z.enum(['uuid', 'uuid#counter']).default('uuid#counter'),
  echo_downstream: z.boolean().default(false),
});
export type CorrelationIdConfig = z.infer<typeof CorrelationIdConfig>;

/** Kong priority 100001: runs before every other plugin, so even their exits carry the id. */
const PRIORITY = 100001;

function generatorOf(kind: CorrelationIdConfig['generator']): () => string {
  if (kind === 'uuid') return randomUUID;
  // Kong: one uuid per worker and a counter, `<uuid>#<n>`.
  const base = randomUUID();
  let counter = 0;
  return () => `${base}#${++counter}`;
}

/**
 * Kong's correlation-id: keeps a non-empty incoming header, otherwise generates one and passes it upstream; with
 * `echo_downstream` sets it on the response too (upstream replies and gateway exits alike).
 */
export function correlationIdPlugin(config: CorrelationIdConfig): GatewayPlugin {
  const header = config.header_name.toLowerCase();
  const generate = generatorOf(config.generator);
  return {
    name: 'correlation-id',
    priority: PRIORITY,
    access(ctx) {
      let id = requestHeader(ctx.req, header);
      if (id === undefined || id === '') {
        id = generate();
        ctx.upstreamHeaders[header] = id;
      }
      const correlationId = id;
      if (config.echo_downstream) {
        ctx.headerFilters.push((headers) => {
          headers[header] = correlationId;
        });
      }
      return undefined;
    },
  };
}
