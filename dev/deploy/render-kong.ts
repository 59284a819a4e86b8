import type { HttpRoute } from '../../shared/runtime/function-definition';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../shared/grpc/start-grpc-server';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../shared/domain/user/access-token-claims';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../shared/runtime/read-body';
import {
  CLUSTER,
  CORS,
  JWT_ISSUER,
  NAMESPACE,
  RATE_LIMIT,
  REQUEST_ID_HEADER,
  TRACE_SAMPLING_RATIO,
} from './deploy-settings';
import { kongPath, kongRouteName, regexPriority } from './kong-routes';
import { yamlFile, type GeneratedFile } from './yaml-file';
import { REQUEST_ID_GUARD_LUA } from './request-id-guard';
import { RESPONSE_TRANSFORMER_PLUGIN, UNAUTHORIZED_NO_STORE_LUA } from './edge-headers';
import { GATEWAY_PROBLEM_BODY_LUA, GATEWAY_PROBLEM_HEADER_LUA } from './gateway-problems';

export const KONG_FILE = 'kong/kong.yml';

/** How far the gateway's clock may run behind the signer's before a fresh token looks too long-lived. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Checks access tokens at the edge: ES256 against the consumer whose key is the token's `iss`, and `exp`, which may
 * lie no further ahead than the lifetime login gives a token (a token that claims longer was not made by login).
 * Never from the query string (tokens in URLs end up in logs); CORS preflights pass without one.
 */
const jwtPlugin = {
  name: 'jwt',
  config: {
    key_claim_name: 'iss',
    claims_to_verify: ['exp'],
    maximum_expiration: ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS,
    run_on_preflight: false,
    header_names: ['authorization'],
    uri_param_names: [],
  },
};

/**
 * Kong's proxy-cache on a route that declares `sharedCache`: anonymous answers are served from the gateway's memory
 * for as long as their Cache-Control allows (shared/runtime/cached-read.ts). Only 200s: Kong serves a stored answer
 * as its own exit, which the global pre-function would rewrite into a gateway problem were it a 4xx. Kong stores and
 * serves without regard to `Authorization`, `Vary` or conditional requests, so two headers are part of the key:
 * - the token: the functions' answers to a token are `no-store`, so they are never kept;
 * - `If-None-Match`: a revalidation reaches the function, which answers 304 (not kept), instead of a stored 200.
 * The content type is matched exactly, parameters too.
 */
const proxyCachePlugin = {
  name: 'proxy-cache',
  config: {
    strategy: 'memory',
    cache_control: true,
    response_code: [200],
    request_method: ['GET'],
    content_type: ['application/json; charset=utf-8'],
    vary_headers: ['authorization', 'if-none-match'],
  },
};

const tagsOf = (definition: FunctionDefinition) => [
  'ecom',
  `service-${definition.service.name}`,
  `function-${definition.name}`,
];

/** A function's Knative Service by its cluster-local name, which Kourier routes by the Host header. */
const upstream = (scheme: 'http' | 'grpc', fn: string) =>
  `${scheme}://${fn}.${NAMESPACE}.svc.cluster.local${scheme === 'grpc' ? ':80' : ''}`;

/**
 * HTTPS only: Kong answers a plain-HTTP request to such a route with a redirect to `https://<host><path and query>`
 * (its default is a 426), before any plugin runs, so no token or body crosses the network in the clear. Kong takes
 * a request as HTTPS when it came over TLS, or carries `X-Forwarded-Proto: https` from a trusted address
 * (KONG_TRUSTED_IPS: a load balancer that terminates TLS; docs/deploy.md). 308 keeps the method and the body.
 */
const HTTPS_ONLY = { protocols: ['https'], https_redirect_status_code: 308 } as const;

/** One Kong route per declared route, so auth and rate limits follow each route's declaration. */
function httpRoute(definition: FunctionDefinition, route: HttpRoute): object {
  const plugins: object[] = [];
  if (route.auth !== 'public') plugins.push(jwtPlugin);
  if (route.rateLimitPerMinute !== undefined) {
    plugins.push({ name: 'rate-limiting', config: { minute: route.rateLimitPerMinute, ...RATE_LIMIT } });
  }
  if (route.sharedCache) plugins.push(proxyCachePlugin);
  return {
    name: kongRouteName(definition.name, route),
    ...HTTPS_ONLY,
    // OPTIONS too: the cors plugin answers preflights, but only on a route that matched them.
    methods: [route.method, 'OPTIONS'],
    paths: [kongPath(route.path)],
    regex_priority: regexPriority(route.path),
    strip_path: false,
    tags: tagsOf(definition),
    ...(plugins.length > 0 ? { plugins } : {}),
  };
}

/** Methods Kong may send twice: a retry after a failed connection must not place an order twice. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * Kong waits for a function as long as Knative lets it run (its timeoutSeconds), not Kong's 60 s default, and
 * retries a failed connection (Kong's 5 by default) only for a function whose every route is idempotent.
 */
function upstreamPolicy(definition: FunctionDefinition, idempotent: boolean) {
  const timeoutMs = definition.scaling.timeoutSeconds * 1000;
  return {
    connect_timeout: 5000,
    read_timeout: timeoutMs,
    write_timeout: timeoutMs,
    retries: idempotent ? 2 : 0,
  };
}

function kongService(definition: FunctionDefinition): object | undefined {
  const { trigger, name } = definition;
  if (trigger.kind === 'http') {
    return {
      name,
      url: upstream('http', name),
      ...upstreamPolicy(
        definition,
        trigger.routes.every((route) => IDEMPOTENT_METHODS.has(route.method)),
      ),
      tags: tagsOf(definition),
      routes: trigger.routes.map((route) => httpRoute(definition, route)),
    };
  }
  if (trigger.kind === 'grpc') {
    // Every method of a sidecar needs a caller: the token is checked here and again by the function.
    return {
      name,
      url: upstream('grpc', name),
      // The sidecars' methods only read.
      ...upstreamPolicy(definition, true),
      tags: tagsOf(definition),
      routes: [
        {
          name: `${name}-grpc`,
          // gRPC over TLS only (HTTP/2 on Kong's TLS listener); Kong refuses cleartext gRPC on such a route.
          protocols: ['grpcs'],
          paths: [...trigger.services].sort().map((service) => `/${service}/`),
          strip_path: false,
          tags: tagsOf(definition),
          plugins: [
            jwtPlugin,
            {
              name: 'request-size-limiting',
              // The sidecars' own limit (grpc.max_receive_message_length), refused at the edge already.
              config: { allowed_payload_size: DEFAULT_MAX_REQUEST_BYTES / 1024, size_unit: 'kilobytes' },
            },
          ],
        },
      ],
    };
  }
  return undefined;
}

/**
 * Kong's bundled pre-function, globally: the request-id guard in the access phase (before correlation-id); no-store
 * on every 401 and, for Kong's own client errors, the problem document's headers in the header_filter phase and
 * the document itself in the body_filter phase (gateway-problems.ts).
 */
const preFunctionPlugin = {
  name: 'pre-function',
  tags: ['ecom'],
  config: {
    access: [REQUEST_ID_GUARD_LUA],
    header_filter: [UNAUTHORIZED_NO_STORE_LUA, GATEWAY_PROBLEM_HEADER_LUA],
    body_filter: [GATEWAY_PROBLEM_BODY_LUA],
  },
};

/**
 * Kong's opentelemetry plugin: a span per request sent to the collector, and its context passed upstream as
 * `traceparent`, so a function's server span is its child. A caller's own trace context is not trusted (it could
 * force sampling, or join our traces to its own): it is cleared and every trace starts here, sampled at
 * TRACE_SAMPLING_RATIO.
 */
const OPENTELEMETRY_PLUGIN = {
  name: 'opentelemetry',
  tags: ['ecom'],
  config: {
    traces_endpoint: `${CLUSTER.otlpEndpoint}/v1/traces`,
    resource_attributes: { 'service.name': 'kong', 'service.namespace': 'ecom' },
    sampling_rate: TRACE_SAMPLING_RATIO,
    propagation: {
      extract: [],
      clear: ['traceparent', 'tracestate'],
      inject: ['w3c'],
      default_format: 'w3c',
    },
  },
};

/**
 * kong/kong.yml (declarative config 3.0): a service per HTTP function and per gRPC sidecar, the consumer whose
 * ES256 public key checks every token, and the global request-id guard, size limit, correlation id, CORS and the
 * headers every answer carries (edge-headers.ts).
 */
export function renderKong(
  definitions: readonly FunctionDefinition[],
  options: { readonly jwtPublicKeyPem: string },
): GeneratedFile {
  const services = definitions.flatMap((definition) => kongService(definition) ?? []);
  return yamlFile(KONG_FILE, [
    {
      _format_version: '3.0',
      // decK syncs only the entities tagged so: a Kong shared with other applications keeps theirs.
      _info: { select_tags: ['ecom'] },
      services,
      consumers: [
        {
          username: JWT_ISSUER,
          tags: ['ecom'],
          jwt_secrets: [
            {
              key: JWT_ISSUER,
              algorithm: 'ES256',
              rsa_public_key: options.jwtPublicKeyPem,
              // decK requires a secret even for ES256, which verifies with rsa_public_key only.
              secret: 'unused-es256-verifies-with-the-public-key',
            },
          ],
        },
      ],
      plugins: [
        preFunctionPlugin,
        {
          name: 'correlation-id',
          tags: ['ecom'],
          config: { header_name: REQUEST_ID_HEADER, generator: 'uuid', echo_downstream: true },
        },
        { name: 'cors', tags: ['ecom'], config: CORS },
        {
          name: 'request-size-limiting',
          tags: ['ecom'],
          // The functions' own limit (BODY_LIMIT_BYTES), refused at the edge already.
          config: { allowed_payload_size: DEFAULT_BODY_LIMIT_BYTES / 1024, size_unit: 'kilobytes' },
        },
        RESPONSE_TRANSFORMER_PLUGIN,
        OPENTELEMETRY_PLUGIN,
      ],
    },
  ]);
}
