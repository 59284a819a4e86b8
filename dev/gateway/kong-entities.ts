import { z } from 'zod';
import { inertFields, PluginDeclaration } from './plugin-declaration';

const plugins = z.array(PluginDeclaration).default([]);
const unsupported = (what: string) =>
  z.never({ error: `${what} not supported by the dev gateway` }).optional();

/**
 * A route as the dev gateway matches it: methods and paths (`~` = regex). Matching on hosts, headers, SNIs or
 * addresses is refused rather than ignored, since ignoring it would route requests Kong would not.
 */
export const KongRoute = z
  .strictObject({
    name: z.string().min(1).optional(),
    methods: z.array(z.string().min(1)).optional(),
    paths: z.array(z.string().regex(/^~?\//, 'must start with / (or ~/ for a regex)')).optional(),
    // The dev gateway serves plain HTTP, HTTPS and gRPC over TLS (on the HTTPS port) as Kong does.
    protocols: z.array(z.enum(['http', 'https', 'grpc', 'grpcs'])).default(['http', 'https']),
    strip_path: z.boolean().default(true),
    preserve_host: z.boolean().default(false),
    regex_priority: z.number().int().default(0),
    path_handling: z.enum(['v0', 'v1']).default('v0'),
    // What an HTTPS-only route answers over plain HTTP: Kong's 426, or a redirect.
    https_redirect_status_code: z
      .union([z.literal(426), z.literal(301), z.literal(302), z.literal(307), z.literal(308)])
      .default(426),
    request_buffering: z.boolean().optional(),
    response_buffering: z.boolean().optional(),
    hosts: unsupported('routing by hosts is'),
    headers: unsupported('routing by headers is'),
    snis: unsupported('routing by SNI is'),
    sources: unsupported('routing by source is'),
    destinations: unsupported('routing by destination is'),
    expression: unsupported('expression routes are'),
    plugins,
    ...inertFields,
  })
  .refine((route) => (route.methods?.length ?? 0) + (route.paths?.length ?? 0) > 0, 'needs methods or paths');
export type KongRoute = z.infer<typeof KongRoute>;

/** A service: where its routes lead, by `url` or by protocol/host/port/path as Kong accepts both. */
export const KongService = z
  .strictObject({
    name: z.string().min(1),
    url: z.string().optional(),
    protocol: z.enum(['http', 'https', 'grpc', 'grpcs']).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().optional(),
    path: z.string().startsWith('/').optional(),
    enabled: z.boolean().default(true),
    retries: z.number().int().optional(),
    connect_timeout: z.number().int().positive().default(60_000),
    read_timeout: z.number().int().positive().default(60_000),
    write_timeout: z.number().int().positive().default(60_000),
    routes: z.array(KongRoute).default([]),
    plugins,
    ...inertFields,
  })
  .refine((service) => service.url !== undefined || service.host !== undefined, 'needs a url or a host')
  .refine((service) => service.url === undefined || URL.canParse(service.url), {
    path: ['url'],
    message: 'is not a URL',
  });
export type KongService = z.infer<typeof KongService>;
