import type { OutgoingHttpHeaders } from 'node:http';
import { parse as parseContentType } from 'content-type';
import { LRUCache } from 'lru-cache';
import {
  requestHeader,
  type GatewayExit,
  type GatewayPlugin,
  type RequestContext,
  type ResponseInfo,
} from '../gateway-plugin';
import type { ProxyCacheConfig } from './proxy-cache-config';
import { proxyCacheKey } from './proxy-cache-key';

/** Kong priority 100: after authentication and rate limits, so a cached answer is still only given to whom they let by. */
const PRIORITY = 100;

/** Kong's `mem_cache_size` default, the size of the shared dictionary the memory strategy keeps its entries in. */
const MEMORY_BYTES = 128 * 1024 * 1024;

/** A stored answer, as Kong's memory strategy keeps it. */
export interface ProxyCacheEntry {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string;
  /** When it was stored, in whole seconds (ngx.time()). */
  readonly timestamp: number;
  /** How long it is fresh, in seconds: its Cache-Control's, or the config's cache_ttl. */
  readonly ttl: number;
  /** When the store drops it, in ms (storage_ttl, else ttl). */
  readonly expiresAt: number;
}

/** Kong's shared dictionaries by name (`lua_shared_dict`): every proxy-cache naming one keeps its entries there. */
export type SharedDictionaries = (name: string) => LRUCache<string, ProxyCacheEntry>;

/**
 * One gateway's dictionaries, each as large as Kong's `mem_cache_size` and evicting the least recently used entry
 * when full, as a shared dictionary does. Entries of different routes never meet: the route is part of the key.
 */
export function sharedDictionaries(): SharedDictionaries {
  const dictionaries = new Map<string, LRUCache<string, ProxyCacheEntry>>();
  return (name) => {
    let dictionary = dictionaries.get(name);
    if (!dictionary) {
      dictionary = new LRUCache<string, ProxyCacheEntry>({
        maxSize: MEMORY_BYTES,
        sizeCalculation: (entry) => Buffer.byteLength(entry.body) + JSON.stringify(entry.headers).length,
      });
      dictionaries.set(name, dictionary);
    }
    return dictionary;
  };
}

/**
 * Cache-Control directives as Kong's parse_directive_header reads them: lower-case names, with their number where it
 * parses. A value that is no number counts as the directive without one, as every use here reads only numbers.
 */
type Directives = ReadonlyMap<string, number | true>;

function directivesOf(header: string | string[] | number | undefined): Directives {
  const directives = new Map<string, number | true>();
  const text = Array.isArray(header) ? header.join(', ') : String(header ?? '');
  for (const part of text.split(',')) {
    const match = /^\s*([^=]+)(?:=(.+))?/.exec(part);
    const [, name, value] = match ?? [];
    if (name === undefined) continue;
    const number = Number(value);
    directives.set(name.toLowerCase(), value === undefined || Number.isNaN(number) ? true : number);
  }
  return directives;
}

/** A directive's number, if it has one. */
function seconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  return typeof value === 'number' ? value : undefined;
}

/** Kong's calculate_resource_ttl: s-maxage, else max-age, else Expires less now; never below 0. */
function resourceTtl(directives: Directives, headers: OutgoingHttpHeaders, nowS: number): number {
  let maxAge = seconds(directives, 's-maxage') ?? seconds(directives, 'max-age');
  if (maxAge === undefined) {
    const expires = headers['expires'];
    const at = Date.parse(String(Array.isArray(expires) ? expires.at(-1) : expires));
    if (!Number.isNaN(at)) maxAge = Math.floor(at / 1000) - nowS;
  }
  return Math.max(maxAge ?? 0, 0);
}

interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Kong's parse_mime_type: lower-case type, subtype and parameter names; `*` alone is any type. */
function mediaTypeOf(text: string): MediaType | undefined {
  if (text.trim() === '*') return { type: '*', subtype: '*', parameters: {} };
  const parsed = parseContentType(text);
  const [type, subtype, ...rest] = parsed.type.split('/');
  if (!type || !subtype || rest.length > 0) return undefined;
  return { type, subtype, parameters: parsed.parameters };
}

/** The plugin's content-type match: the type (or `*`), the subtype (or `*`), and exactly the same parameters. */
function contentTypeMatches(actual: MediaType, expected: MediaType): boolean {
  const wanted = Object.entries(expected.parameters);
  return (
    (expected.type === '*' || expected.type === actual.type) &&
    (expected.subtype === '*' || expected.subtype === actual.subtype) &&
    wanted.every(([name, value]) => actual.parameters[name] === value) &&
    wanted.length === Object.keys(actual.parameters).length
  );
}

/** Headers a stored answer is not served with (Kong's hop-by-hop list, content-length included, and its own). */
const NOT_REPLAYED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'age',
  'x-cache-status',
  'x-cache-key',
]);

function replayable(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !NOT_REPLAYED.has(name) && !name.includes('ratelimit-remaining'),
    ),
  );
}

/**
 * Kong's proxy-cache (kong/plugins/proxy-cache/handler.lua) with the memory strategy:
 * - access: a cacheable request whose key holds a fresh answer gets it from the gateway (`X-Cache-Status: Hit`,
 *   `Age`); otherwise it goes upstream (Miss, Refresh, or Bypass for a request that may not be cached), and its
 *   answer is stored when its status, content type and, with `cache_control`, its Cache-Control allow.
 * - With `cache_control`, a request's `no-store` or `no-cache` bypasses the cache, and its `max-age`, `max-stale`,
 *   `min-fresh` and `only-if-cached` are honoured; an answer that says `private`, `no-store` or `no-cache`, or has no
 *   lifetime, is not stored, and the lifetime is its `s-maxage` or `max-age`.
 * - Like Kong, it stores without regard to `Vary` or `Authorization`: keys tell callers apart by consumer, query and
 *   `vary_headers` only.
 * Bodies are kept as text: the content types kong.yml caches are JSON.
 */
export function proxyCachePlugin(config: ProxyCacheConfig, dictionaries: SharedDictionaries): GatewayPlugin {
  const expected = config.content_type.map(mediaTypeOf);
  const store = dictionaries(config.memory.dictionary_name);

  const cacheableRequest = (ctx: RequestContext, directives: Directives) =>
    (config.request_method as readonly string[]).includes(ctx.method) &&
    !(config.cache_control && (directives.has('no-store') || directives.has('no-cache')));

  /** The seconds an answer may be kept for, or undefined when it may not be stored (cacheable_response). */
  function lifetime(status: number, headers: OutgoingHttpHeaders, nowS: number): number | undefined {
    if (!config.response_code.includes(status)) return undefined;
    const contentType = headers['content-type'];
    if (typeof contentType !== 'string' || contentType === '') return undefined;
    const actual = mediaTypeOf(contentType);
    if (!actual || !expected.some((wanted) => wanted !== undefined && contentTypeMatches(actual, wanted))) {
      return undefined;
    }
    if (!config.cache_control) return config.cache_ttl;
    const directives = directivesOf(headers['cache-control']);
    if (['private', 'no-store', 'no-cache'].some((name) => directives.has(name))) return undefined;
    const ttl = resourceTtl(directives, headers, nowS);
    return ttl > 0 ? ttl : undefined;
  }

  /** Whether the client will take an entry (with cache_control, by its request's directives). */
  function acceptable(entry: ProxyCacheEntry, directives: Directives, nowS: number): boolean {
    const age = nowS - entry.timestamp;
    if (!config.cache_control) return age <= config.cache_ttl;
    const maxAge = seconds(directives, 'max-age');
    const maxStale = seconds(directives, 'max-stale');
    const minFresh = seconds(directives, 'min-fresh');
    return !(
      (maxAge !== undefined && age > maxAge) ||
      (maxStale !== undefined && age - entry.ttl > maxStale) ||
      (minFresh !== undefined && entry.ttl - age < minFresh)
    );
  }

  function fetchEntry(key: string, nowMs: number): ProxyCacheEntry | undefined {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= nowMs) {
      store.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    name: 'proxy-cache',
    priority: PRIORITY,
    access(ctx): GatewayExit | undefined {
      // Kong-Debug on the request shows the plugin's headers even where response_headers hides them.
      const debug = requestHeader(ctx.req, 'kong-debug') !== undefined;
      const shown = (name: keyof ProxyCacheConfig['response_headers']) =>
        debug || config.response_headers[name];
      const directives = directivesOf(ctx.req.headers['cache-control']);
      if (!cacheableRequest(ctx, directives)) {
        ctx.headerFilters.push((headers) => {
          if (shown('X-Cache-Status')) headers['x-cache-status'] = 'Bypass';
        });
        return undefined;
      }
      const key = proxyCacheKey(ctx, config);
      const nowMs = ctx.now();
      const nowS = Math.floor(nowMs / 1000);
      const entry = fetchEntry(key, nowMs);
      if (entry && acceptable(entry, directives, nowS)) {
        const headers = { ...entry.headers };
        if (shown('age')) headers['age'] = String(nowS - entry.timestamp);
        if (shown('X-Cache-Status')) headers['x-cache-status'] = 'Hit';
        if (shown('X-Cache-Key')) headers['x-cache-key'] = key;
        return { status: entry.status, text: entry.body, headers };
      }
      if (!entry && config.cache_control && directives.has('only-if-cached')) return { status: 504 };
      // Upstream it goes; the answer is stored if it may be (Kong's header_filter and body_filter).
      let ttl: number | undefined;
      ctx.headerFilters.push((headers, response: ResponseInfo) => {
        ttl = response.source === 'service' ? lifetime(response.status, headers, nowS) : undefined;
        if (shown('X-Cache-Key')) headers['x-cache-key'] = key;
        if (shown('X-Cache-Status')) {
          headers['x-cache-status'] = ttl === undefined ? 'Bypass' : entry ? 'Refresh' : 'Miss';
        }
      });
      ctx.responseRecorders.push((answer) => {
        if (ttl === undefined) return;
        const storedMs = ctx.now();
        store.set(key, {
          status: answer.status,
          headers: replayable(answer.headers),
          body: answer.body.toString(),
          timestamp: Math.floor(storedMs / 1000),
          ttl,
          expiresAt: storedMs + (config.storage_ttl ?? ttl) * 1000,
        });
      });
      return undefined;
    },
  };
}
