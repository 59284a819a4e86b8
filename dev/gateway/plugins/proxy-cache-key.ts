import { createHash } from 'node:crypto';
import type { RequestContext } from '../gateway-plugin';
import type { ProxyCacheConfig } from './proxy-cache-config';

/**
 * One query argument as nginx's get_uri_args gives it: `?a` has no value (true in Lua), `?a=` the empty string, and a
 * repeated name all of its values.
 */
type QueryArgument = true | string | readonly string[];

const decode = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** The arguments of a query string (without its `?`). */
function queryArguments(search: string): Map<string, QueryArgument> {
  const values = new Map<string, (true | string)[]>();
  for (const part of search.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = decode(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? true : decode(part.slice(at + 1));
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const args = new Map<string, QueryArgument>();
  for (const [name, list] of values) {
    const [first] = list;
    if (first !== undefined) args.set(name, list.length === 1 ? first : list.map(String));
  }
  return args;
}

/**
 * Kong's generate_key_from: `name=value` for each named field the request has, in the order given, joined by `:`;
 * a field without a value is its name alone, a repeated one its values sorted and joined by `,`.
 */
function keyFrom(args: ReadonlyMap<string, QueryArgument>, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    const arg = args.get(field);
    if (arg === undefined) continue;
    if (arg === true) parts.push(field);
    else parts.push(`${field}=${typeof arg === 'string' ? arg : [...arg].sort().join(',')}`);
  }
  return parts.join(':');
}

/** The request's headers by lower-case name, a repeated one as its list. */
function headerArguments(ctx: RequestContext, names: readonly string[]): Map<string, QueryArgument> {
  const args = new Map<string, QueryArgument>();
  for (const name of names) {
    const lower = name.toLowerCase();
    // HTTP/1.1 keeps a repeated header's values apart; HTTP/2 has joined them already.
    const joined = ctx.req.headers[lower];
    const values =
      'headersDistinct' in ctx.req
        ? ctx.req.headersDistinct[lower]
        : joined === undefined
          ? undefined
          : [joined].flat();
    if (values === undefined) continue;
    const [first] = values;
    if (first !== undefined) args.set(name, values.length === 1 ? first : values);
  }
  return args;
}

/**
 * Kong's proxy-cache key (cache_key.lua): the SHA-256, in hex, of `prefix|method|uri|query|headers`.
 * - prefix: the consumer's id and the route's id, or the route's alone for an anonymous request;
 * - uri: nginx's request line up to its query (`GET /v1/products`), or whole when it has none;
 * - query: every argument by sorted name, or only `vary_query_params`;
 * - headers: only `vary_headers`.
 */
export function proxyCacheKey(ctx: RequestContext, config: ProxyCacheConfig): string {
  const consumer = ctx.consumer && (ctx.consumer.id ?? ctx.consumer.username ?? ctx.consumer.credential);
  const prefix = consumer === undefined ? ctx.routeId : `${consumer}:${ctx.routeId}`;
  const target = ctx.req.url ?? '/';
  const at = target.indexOf('?');
  const requestLine =
    at < 0 ? `${ctx.method} ${target} HTTP/${ctx.req.httpVersion}` : `${ctx.method} ${target.slice(0, at)}`;
  const uri = config.ignore_uri_case ? requestLine.toLowerCase() : requestLine;
  const query = queryArguments(at < 0 ? '' : target.slice(at + 1));
  const queryFields = config.vary_query_params?.length ? config.vary_query_params : [...query.keys()].sort();
  const headers = keyFrom(headerArguments(ctx, config.vary_headers ?? []), config.vary_headers ?? []);
  const text = `${prefix}|${ctx.method}|${uri}|${keyFrom(query, queryFields)}|${headers}`;
  return createHash('sha256').update(text).digest('hex');
}
