import { z } from 'zod';

/**
 * Kong's proxy-cache config (kong/plugins/proxy-cache/schema.lua) with its defaults. `memory` is the one strategy
 * Kong's open-source build has; every entry of a plugin instance lives in the gateway's memory, as in Kong's shared
 * dictionary.
 */
export const ProxyCacheConfig = z.strictObject({
  response_code: z.array(z.int().min(100).max(900)).min(1).default([200, 301, 404]),
  request_method: z.array(z.enum(['HEAD', 'GET', 'POST', 'PATCH', 'PUT'])).default(['GET', 'HEAD']),
  content_type: z.array(z.string()).default(['text/plain', 'application/json']),
  cache_ttl: z.int().positive().default(300),
  strategy: z.literal('memory', { error: 'the dev gateway keeps proxy-cache entries in memory only' }),
  cache_control: z.boolean().default(false),
  ignore_uri_case: z.boolean().default(false),
  storage_ttl: z.int().optional(),
  memory: z.strictObject({ dictionary_name: z.string().default('kong_db_cache') }).prefault({}),
  vary_query_params: z.array(z.string()).optional(),
  vary_headers: z.array(z.string()).optional(),
  response_headers: z
    .strictObject({
      age: z.boolean().default(true),
      'X-Cache-Status': z.boolean().default(true),
      'X-Cache-Key': z.boolean().default(true),
    })
    .prefault({}),
});
export type ProxyCacheConfig = z.infer<typeof ProxyCacheConfig>;
