import type { OutgoingHttpHeaders } from 'node:http';
import { requestHeader, type GatewayPlugin, type RequestContext } from '../gateway-plugin';
import { PERIOD_SECONDS, PERIODS, WindowCounters, windowStart, type Period } from './rate-limit-windows';
import type { RateLimitingConfig } from './rate-limiting-config';

/** Kong priority 910: after authentication, so limit_by consumer sees the consumer. */
const PRIORITY = 910;

/** Kong's get_identifier: the chosen key, or the client IP when the request has none. */
function identifierOf(config: RateLimitingConfig, ctx: RequestContext): string {
  const byKind: Record<RateLimitingConfig['limit_by'], string | undefined> = {
    consumer: ctx.consumer?.id ?? ctx.consumer?.username ?? ctx.consumer?.credential,
    credential: ctx.consumer?.credential,
    ip: undefined,
    service: ctx.serviceName,
    header:
      config.header_name === null ? undefined : requestHeader(ctx.req, config.header_name.toLowerCase()),
    path: config.path === ctx.path ? ctx.path : undefined,
  };
  return byKind[config.limit_by] ?? ctx.clientIp;
}

interface Usage {
  readonly period: Period;
  readonly limit: number;
  readonly remaining: number;
}

/**
 * Kong's client headers: per period `X-RateLimit-Limit-<Period>` / `-Remaining-<Period>`, and `RateLimit-Limit`,
 * `-Remaining`, `-Reset` of the period closest to its limit (the longer one on a tie). Returns the reset too,
 * which a refusal also sends as Retry-After.
 */
function clientHeaders(usages: readonly Usage[], stop: Period | undefined, now: number) {
  const headers: OutgoingHttpHeaders = {};
  let chosen: { limit: number; remaining: number; window: number; reset: number } | undefined;
  for (const usage of usages) {
    const counted = stop === undefined || stop === usage.period ? usage.remaining - 1 : usage.remaining;
    const remaining = Math.max(0, counted);
    const window = PERIOD_SECONDS[usage.period];
    if (
      !chosen ||
      remaining < chosen.remaining ||
      (remaining === chosen.remaining && window > chosen.window)
    ) {
      const elapsed = Math.floor((now - windowStart(usage.period, now)) / 1000);
      chosen = { limit: usage.limit, remaining, window, reset: Math.max(1, window - elapsed) };
    }
    headers[`x-ratelimit-limit-${usage.period}`] = usage.limit;
    headers[`x-ratelimit-remaining-${usage.period}`] = remaining;
  }
  if (chosen) {
    headers['ratelimit-limit'] = chosen.limit;
    headers['ratelimit-remaining'] = chosen.remaining;
    headers['ratelimit-reset'] = chosen.reset;
  }
  return { headers, reset: chosen?.reset ?? 1 };
}

/**
 * Kong's rate-limiting with fixed windows per identifier in this plugin's scope: a request is refused (429,
 * `{"message":"API rate limit exceeded"}`, Retry-After) when a period's count has reached its limit, and a
 * refused request is not counted.
 */
export function rateLimitingPlugin(config: RateLimitingConfig): GatewayPlugin {
  const counters = new WindowCounters();
  const limits = PERIODS.flatMap((period) => {
    const limit = config[period];
    return limit === undefined ? [] : [{ period, limit }];
  });
  const periods = limits.map(({ period }) => period);
  return {
    name: 'rate-limiting',
    priority: PRIORITY,
    access(ctx) {
      const now = ctx.now();
      const identifier = identifierOf(config, ctx);
      const usages = limits.map(({ period, limit }) => ({
        period,
        limit,
        remaining: limit - counters.usage(identifier, period, now),
      }));
      const stop = usages.find((usage) => usage.remaining <= 0)?.period;
      const { headers, reset } = config.hide_client_headers
        ? { headers: {}, reset: undefined }
        : clientHeaders(usages, stop, now);
      if (stop !== undefined) {
        const refusal = reset === undefined ? headers : { ...headers, 'retry-after': reset };
        return { status: config.error_code, body: { message: config.error_message }, headers: refusal };
      }
      counters.increment(identifier, periods, now);
      ctx.headerFilters.push((response) => {
        Object.assign(response, headers);
      });
      return undefined;
    },
  };
}
