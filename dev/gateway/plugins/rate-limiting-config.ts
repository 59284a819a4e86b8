import { z } from 'zod';
import { PERIODS } from './rate-limit-windows';

const limit = z.number().positive().optional();

/**
 * Kong's rate-limiting config with its defaults. Every policy counts in this process: with one gateway, a
 * `cluster` or `redis` counter would hold the same numbers, so the dev gateway needs neither a database nor
 * Redis (the `redis` block is accepted and unused). `consumer-group` limiting is not offered.
 */
export const RateLimitingConfig = z
  .strictObject({
    second: limit,
    minute: limit,
    hour: limit,
    day: limit,
    month: limit,
    year: limit,
    limit_by: z.enum(['consumer', 'credential', 'ip', 'service', 'header', 'path']).default('consumer'),
    header_name: z.string().min(1).nullable().default(null),
    path: z.string().min(1).nullable().default(null),
    policy: z.enum(['local', 'cluster', 'redis']).default('local'),
    fault_tolerant: z.boolean().default(true),
    hide_client_headers: z.boolean().default(false),
    error_code: z.number().int().min(400).max(599).default(429),
    error_message: z.string().default('API rate limit exceeded'),
    sync_rate: z.number().default(-1),
    redis: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((config, ctx) => {
    const set = PERIODS.filter((period) => config[period] !== undefined);
    if (set.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs at least one of second, minute, hour, day, month, year',
      });
    }
    // Kong refuses a longer period with a lower limit than a shorter one: it could never be reached.
    for (const [index, shorter] of set.entries()) {
      for (const longer of set.slice(index + 1)) {
        if ((config[longer] ?? Infinity) < (config[shorter] ?? 0)) {
          ctx.addIssue({
            code: 'custom',
            path: [longer],
            message: `the limit for ${longer} cannot be lower than the limit for ${shorter}`,
          });
        }
      }
    }
    if (config.limit_by === 'header' && config.header_name === null) {
      ctx.addIssue({ code: 'custom', path: ['header_name'], message: 'is required with limit_by: header' });
    }
    if (config.limit_by === 'path' && config.path === null) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'is required with limit_by: path' });
    }
  });
export type RateLimitingConfig = z.infer<typeof RateLimitingConfig>;
