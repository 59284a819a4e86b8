import { z } from 'zod';
import { CorrelationIdConfig } from './plugins/correlation-id';
import { CorsConfig } from './plugins/cors';
import { OpentelemetryConfig } from './plugins/opentelemetry';
import { JwtConfig } from './plugins/jwt-config';
import { RateLimitingConfig } from './plugins/rate-limiting-config';
import { PreFunctionConfig } from './plugins/pre-function';
import { ProxyCacheConfig } from './plugins/proxy-cache-config';
import { RequestSizeLimitingConfig } from './plugins/request-size-limiting';
import { ResponseTransformerConfig } from './plugins/response-transformer';

/** Fields Kong keeps on every entity that change nothing about how a request is served. */
export const inertFields = {
  id: z.string().optional(),
  tags: z.array(z.string()).optional(),
  created_at: z.number().optional(),
  updated_at: z.number().optional(),
};

function pluginEntry<const Name extends string, Config extends z.ZodType>(name: Name, config: Config) {
  return z.strictObject({
    name: z.literal(name),
    config,
    enabled: z.boolean().default(true),
    // Top-level plugins may name their scope; on a service or route the nesting says it.
    service: z.string().min(1).optional(),
    route: z.string().min(1).optional(),
    consumer: z.never({ error: 'consumer-scoped plugins are not supported by the dev gateway' }).optional(),
    ordering: z.never({ error: 'dynamic plugin ordering is not supported by the dev gateway' }).optional(),
    protocols: z.array(z.string()).optional(),
    instance_name: z.string().optional(),
    ...inertFields,
  });
}

export const PLUGIN_NAMES = [
  'jwt',
  'rate-limiting',
  'request-size-limiting',
  'correlation-id',
  'cors',
  'pre-function',
  'response-transformer',
  'opentelemetry',
  'proxy-cache',
] as const;

/**
 * A plugin entry of kong.yml whose config is validated against the plugin's own schema, Kong's defaults
 * applied; a plugin the dev gateway does not implement is an error, since skipping it would serve requests Kong
 * would refuse (or the reverse).
 */
export const PluginDeclaration = z.discriminatedUnion(
  'name',
  [
    pluginEntry('jwt', JwtConfig.prefault({})),
    pluginEntry('rate-limiting', RateLimitingConfig),
    pluginEntry('request-size-limiting', RequestSizeLimitingConfig.prefault({})),
    pluginEntry('correlation-id', CorrelationIdConfig.prefault({})),
    pluginEntry('cors', CorsConfig.prefault({})),
    pluginEntry('pre-function', PreFunctionConfig),
    pluginEntry('response-transformer', ResponseTransformerConfig.prefault({})),
    pluginEntry('opentelemetry', OpentelemetryConfig),
    pluginEntry('proxy-cache', ProxyCacheConfig),
  ],
  {
    // Called when no entry's name matches: the plugin is one the dev gateway does not know.
    error: (issue) => {
      const input = issue.input;
      if (typeof input !== 'object' || input === null || !('name' in input)) return undefined;
      const known = PLUGIN_NAMES.join(', ');
      return `plugin ${JSON.stringify(input.name)} is not implemented by the dev gateway (it runs ${known})`;
    },
  },
);
export type PluginDeclaration = z.infer<typeof PluginDeclaration>;
