// The dev gateway's emulation of the two global plugins kong.yml adds to every answer's way out: pre-function (the
// request-id guard in access; no-store on 401s and Kong's problem documents in header_filter and body_filter) and
// response-transformer (add.headers). The plugins are built from the committed kong/kong.yml, as the gateway builds
// them. The Lua itself runs in LuaJIT against the same rules in test/integration/kong-lua-snippets.test.ts.
import { readFileSync } from 'node:fs';
import {
  IncomingMessage,
  ServerResponse,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Socket } from 'node:net';
import path from 'node:path';
import test from 'ava';
import { stringify } from 'yaml';
import { UNAUTHORIZED_NO_STORE_LUA } from '../../../dev/deploy/edge-headers';
import { GATEWAY_PROBLEM_BODY_LUA, GATEWAY_PROBLEM_HEADER_LUA } from '../../../dev/deploy/gateway-problems';
import { REQUEST_ID_GUARD_LUA } from '../../../dev/deploy/request-id-guard';
import { createPlugin } from '../../../dev/gateway/create-plugin';
import type { GatewayPlugin, ResponseInfo } from '../../../dev/gateway/gateway-plugin';
import { KongConfigError, parseKongConfig } from '../../../dev/gateway/kong-config';
import { jwtCredentialLookup } from '../../../dev/gateway/plugins/jwt-credentials';
import { createRequestContext } from '../../../dev/gateway/request-context';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/runtime/http-problem';
import { isSafeId, SAFE_ID_MAX_LENGTH } from '../../../shared/runtime/request-id';

const KONG_YML = readFileSync(path.resolve(__dirname, '../../../kong/kong.yml'), 'utf8');
const config = parseKongConfig(KONG_YML, 'kong/kong.yml');

function globalPlugin(name: string): GatewayPlugin {
  const declaration = config.plugins.find((plugin) => plugin.name === name);
  if (!declaration) throw new Error(`kong.yml has no global ${name}`);
  return createPlugin(declaration, { jwtCredentials: jwtCredentialLookup(config.consumers) });
}

const preFunction = globalPlugin('pre-function');
const responseTransformer = globalPlugin('response-transformer');

function headerFiltered(plugin: GatewayPlugin, headers: OutgoingHttpHeaders, response: ResponseInfo) {
  const filtered = { ...headers };
  plugin.headerFilter?.(filtered, response);
  return filtered;
}

/** The X-Request-ID the upstream gets after the guard ran on one sent as `id`. */
function guarded(id: string): string | undefined {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/v1/users/me';
  req.headers = { 'x-request-id': id } satisfies IncomingHttpHeaders;
  const served = {
    method: 'GET',
    path: '/v1/users/me',
    search: '',
    serviceName: 'user-query',
    routeId: 'user-query',
    expectsContinue: false,
  };
  const ctx = createRequestContext(req, new ServerResponse(req), served, () => 0);
  void preFunction.access(ctx);
  const kept = ctx.upstreamHeaders['x-request-id'];
  return typeof kept === 'string' ? kept : undefined;
}

test('response-transformer adds X-Content-Type-Options: nosniff to every answer that has none, upstream or exit, any status', (t) => {
  for (const response of [
    { status: 200, source: 'service' },
    { status: 404, source: 'exit' },
    { status: 401, source: 'exit' },
    { status: 413, source: 'exit' },
    { status: 429, source: 'exit' },
    { status: 502, source: 'exit' },
  ] as const) {
    t.like(headerFiltered(responseTransformer, { 'content-type': 'application/json' }, response), {
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json',
    });
  }
});

test("response-transformer's add keeps a header the answer already has, as Kong's does", (t) => {
  const headers = { 'x-content-type-options': 'the function said so' };
  t.deepEqual(headerFiltered(responseTransformer, headers, { status: 200, source: 'service' }), headers);
});

test('response-transformer: a transform the dev gateway does not run is refused by name, not skipped', (t) => {
  const yml = (transform: string) => `_format_version: "3.0"
plugins:
  - name: response-transformer
    config: { ${transform} }
`;
  t.notThrows(() => parseKongConfig(yml('add: { headers: ["A:b:c"] }')));
  for (const transform of [
    'remove: { headers: [A] }',
    'append: { headers: ["A:b"] }',
    'add: { json: ["a:b"] }',
  ]) {
    t.throws(() => parseKongConfig(yml(transform)), { instanceOf: KongConfigError }, transform);
  }
  t.throws(() => parseKongConfig(yml('add: { headers: ["no colon"] }')), { message: /name:value/ });
});

test('response-transformer splits name:value at the first colon, as Kong does', (t) => {
  const yml = `_format_version: "3.0"
plugins:
  - name: response-transformer
    config: { add: { headers: ["X-Thing:a:b"] } }
`;
  const [declaration] = parseKongConfig(yml).plugins;
  if (!declaration) throw new Error('no plugin');
  const plugin = createPlugin(declaration, { jwtCredentials: () => undefined });
  t.like(headerFiltered(plugin, {}, { status: 200, source: 'service' }), { 'x-thing': 'a:b' });
});

test("pre-function's header_filter makes every 401 no-store, Kong's and a function's, Kong's own client errors problem+json, and leaves other answers alone", (t) => {
  t.like(headerFiltered(preFunction, {}, { status: 401, source: 'exit' }), { 'cache-control': 'no-store' });
  t.like(headerFiltered(preFunction, { 'cache-control': 'no-store' }, { status: 401, source: 'service' }), {
    'cache-control': 'no-store',
  });
  const cached = { 'cache-control': 'public, max-age=30' };
  t.deepEqual(headerFiltered(preFunction, cached, { status: 200, source: 'service' }), cached);
  const kongJson = { 'content-type': 'application/json; charset=utf-8', 'content-length': 52 };
  t.deepEqual(headerFiltered(preFunction, kongJson, { status: 404, source: 'exit' }), {
    'content-type': PROBLEM_CONTENT_TYPE,
  });
  const functionProblem = { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': 120 };
  t.deepEqual(
    headerFiltered(preFunction, functionProblem, { status: 404, source: 'service' }),
    functionProblem,
  );
  t.deepEqual(headerFiltered(preFunction, kongJson, { status: 502, source: 'exit' }), kongJson);
  t.is(UNAUTHORIZED_NO_STORE_LUA.includes('kong.response.get_status() == 401'), true);
});

test('pre-function: the problem headers and the problem body come together, or neither is run', (t) => {
  const config = (phases: object) =>
    stringify({
      _format_version: '3.0',
      plugins: [{ name: 'pre-function', config: { access: [REQUEST_ID_GUARD_LUA], ...phases } }],
    });
  const headerFilter = { header_filter: [UNAUTHORIZED_NO_STORE_LUA, GATEWAY_PROBLEM_HEADER_LUA] };
  const bodyFilter = { body_filter: [GATEWAY_PROBLEM_BODY_LUA] };
  t.notThrows(() => parseKongConfig(config({ ...headerFilter, ...bodyFilter })));
  t.notThrows(() => parseKongConfig(config({})));
  for (const half of [headerFilter, bodyFilter]) {
    t.throws(() => parseKongConfig(config(half)), { message: /come together/ }, Object.keys(half)[0]);
  }
});

test("pre-function's body_filter makes Kong's own client errors problem documents, and leaves the rest as they are", (t) => {
  const filter = preFunction.bodyFilter;
  if (!filter) return t.fail('kong.yml declares no pre-function body_filter');
  const noRoute = '{"message":"no Route matched with those values"}';
  t.like(JSON.parse(filter(noRoute, { status: 404, source: 'exit' }, {})), {
    status: 404,
    code: 'ROUTE.NOT_FOUND',
  });
  const limited = JSON.parse(
    filter('{"message":"API rate limit exceeded"}', { status: 429, source: 'exit' }, { 'retry-after': '12' }),
  ) as unknown;
  t.like(limited, { status: 429, code: 'REQUEST.RATE_LIMITED', retryAfter: 12 });
  t.is(filter(noRoute, { status: 404, source: 'service' }, {}), noRoute);
  t.is(filter('{"message":"x"}', { status: 504, source: 'exit' }, {}), '{"message":"x"}');
});

test('the request-id guard keeps exactly the ids the functions keep (isSafeId): an empty one is dropped too', (t) => {
  const ids = [
    '',
    'a',
    'req-1.2:3_x',
    'a'.repeat(SAFE_ID_MAX_LENGTH),
    'a'.repeat(SAFE_ID_MAX_LENGTH + 1),
    'has space',
    '<script>',
    'é',
    'a\tb',
    '"quoted";level=error',
  ];
  for (const id of ids) t.is(guarded(id), isSafeId(id) ? id : undefined, JSON.stringify(id));
});

test('the Lua guard states the same rule: 1 to 128 characters, each a letter, digit, dot, underscore, colon or hyphen', (t) => {
  t.true(REQUEST_ID_GUARD_LUA.includes('#id == 0'), 'an empty id is dropped');
  t.true(REQUEST_ID_GUARD_LUA.includes(`#id > ${SAFE_ID_MAX_LENGTH}`), 'a long id is dropped');
  t.true(REQUEST_ID_GUARD_LUA.includes('id:find("[^%w._:%-]")'), 'an id with any other character is dropped');
  t.true(REQUEST_ID_GUARD_LUA.includes('kong.service.request.clear_header("x-request-id")'));
});
