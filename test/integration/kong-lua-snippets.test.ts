// The Lua kong.yml gives Kong's pre-function, run in LuaJIT (Kong's Lua) against a stand-in of the PDK calls it
// makes, and compared with what the dev gateway runs in its place (dev/gateway/plugins/pre-function.ts): the two
// must answer alike. Each snippet runs with only what Kong's sandbox gives it (kong, string, tonumber, type).
// Needs `luajit` (Debian's package; .ci/run installs it).
import { execFileSync } from 'node:child_process';
import test from 'ava';
import { UNAUTHORIZED_NO_STORE_LUA } from '../../dev/deploy/edge-headers';
import {
  GATEWAY_PROBLEM_BODY_LUA,
  GATEWAY_PROBLEM_HEADER_LUA,
  gatewayProblemBody,
  isGatewayRefusal,
} from '../../dev/deploy/gateway-problems';
import { REQUEST_ID_GUARD_LUA } from '../../dev/deploy/request-id-guard';
import { PROBLEM_CONTENT_TYPE } from '../../shared/runtime/http-problem';
import { isSafeId } from '../../shared/runtime/request-id';

const luaString = (text: string) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const luaValue = (value: string | number | undefined) =>
  value === undefined ? 'nil' : typeof value === 'number' ? String(value) : luaString(value);

/** Runs a Lua program in LuaJIT; its standard output. */
function luajit(program: string): string {
  try {
    return execFileSync('luajit', ['-'], { input: program, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('luajit is not installed: apt-get install luajit', { cause: error });
    throw error;
  }
}

/**
 * A Lua program that runs `snippets` once per case, each case a table of Lua fields, with `kong` built by `pdk`
 * from the case; after each case it prints what `record` makes of the case's `out` table, one line per case.
 */
function harness(snippets: readonly string[], cases: readonly string[], pdk: string, record: string): string {
  return [
    `local snippets = { ${snippets.map((snippet) => `[==[${snippet}]==]`).join(', ')} }`,
    `local cases = { ${cases.join(', ')} }`,
    'for _, c in ipairs(cases) do',
    '  local out = { headers = {} }',
    `  local kong = ${pdk}`,
    '  for _, source in ipairs(snippets) do',
    '    local run = assert(loadstring(source))',
    '    setfenv(run, { kong = kong, string = string, tonumber = tonumber, type = type })',
    '    run()',
    '  end',
    `  io.write(${record}, "\\n")`,
    'end',
  ].join('\n');
}

/** The PDK's response side, as header_filter and body_filter see it. */
const RESPONSE_PDK = `{ response = {
  get_status = function() return c.status end,
  get_source = function() return c.source end,
  get_raw_body = function() return c.body end,
  set_raw_body = function(body) out.body = body end,
  get_header = function(name) if name == "Retry-After" then return c.retry end end,
  set_header = function(name, value) out.headers[#out.headers + 1] = name .. "=" .. value end,
  clear_header = function(name) out.headers[#out.headers + 1] = name .. "=" end,
} }`;

interface Answer {
  readonly status: number;
  readonly source: 'exit' | 'service';
  readonly body: string;
  readonly retry?: string;
}

const ANSWERS: readonly Answer[] = [
  { status: 401, source: 'exit', body: '{"message":"Unauthorized"}' },
  { status: 401, source: 'exit', body: '{"exp":"token expired"}' },
  { status: 401, source: 'exit', body: '{"message":"Invalid signature"}' },
  { status: 401, source: 'exit', body: '{"message":"Bad token; invalid JSON"}' },
  { status: 404, source: 'exit', body: '{"message":"no Route matched with those values"}' },
  { status: 400, source: 'exit', body: '{"message":"Bad request"}' },
  { status: 403, source: 'exit', body: '{"message":"You cannot consume this service"}' },
  { status: 411, source: 'exit', body: '{"message":"A valid Content-Length header is required"}' },
  { status: 413, source: 'exit', body: '{"message":"Request size limit exceeded"}' },
  { status: 417, source: 'exit', body: '{"message":"Request size limit exceeded"}' },
  { status: 418, source: 'exit', body: '{"message":"I\'m a teapot"}' },
  { status: 429, source: 'exit', body: '{"message":"API rate limit exceeded"}', retry: '42' },
  { status: 429, source: 'exit', body: '{"message":"API rate limit exceeded"}', retry: '007' },
  { status: 429, source: 'exit', body: '{"message":"API rate limit exceeded"}', retry: 'soon' },
  { status: 429, source: 'exit', body: '{"message":"API rate limit exceeded"}', retry: '1234567890' },
  { status: 429, source: 'exit', body: '{"message":"API rate limit exceeded"}' },
  // Not Kong's own refusals: left as they are.
  { status: 401, source: 'service', body: '{"code":"AUTH.SESSION_ENDED"}' },
  { status: 404, source: 'service', body: '{"code":"PRODUCT.NOT_FOUND"}' },
  {
    status: 502,
    source: 'exit',
    body: '{"message":"An invalid response was received from the upstream server"}',
  },
  { status: 308, source: 'exit', body: '' },
];

test("Kong's refusals become the same problem documents in Kong's Lua as in the dev gateway", (t) => {
  const cases = ANSWERS.map(
    (answer) =>
      `{ status = ${String(answer.status)}, source = ${luaString(answer.source)}, body = ${luaString(answer.body)}, retry = ${luaValue(answer.retry)} }`,
  );
  const output = luajit(
    harness(
      [UNAUTHORIZED_NO_STORE_LUA, GATEWAY_PROBLEM_HEADER_LUA, GATEWAY_PROBLEM_BODY_LUA],
      cases,
      RESPONSE_PDK,
      'table.concat(out.headers, ";") .. "\\t" .. (out.body or "(unchanged)")',
    ),
  );
  const lines = output.trimEnd().split('\n');
  t.is(lines.length, ANSWERS.length);
  for (const [index, answer] of ANSWERS.entries()) {
    const refusal = isGatewayRefusal(answer.status, answer.source);
    const headers = [
      ...(answer.status === 401 ? ['Cache-Control=no-store'] : []),
      ...(refusal ? [`Content-Type=${PROBLEM_CONTENT_TYPE}`, 'Content-Length='] : []),
    ];
    const body = refusal ? gatewayProblemBody(answer.status, answer.body, answer.retry) : '(unchanged)';
    t.is(lines[index], `${headers.join(';')}\t${body}`, `${String(answer.status)} ${answer.body}`);
  }
});

test("what the refusals say: the functions' codes, a problem document with the status, Retry-After as retryAfter", (t) => {
  const parse = (status: number, body: string, retry?: string) =>
    JSON.parse(gatewayProblemBody(status, body, retry)) as Record<string, unknown>;
  t.deepEqual(parse(401, '{"message":"Unauthorized"}'), {
    type: 'https://errors.ecom.example/auth/missing_token',
    title: 'Unauthorized',
    status: 401,
    code: 'AUTH.MISSING_TOKEN',
    detail: 'An access token is required.',
  });
  t.like(parse(401, '{"exp":"token expired"}'), { code: 'AUTH.TOKEN_EXPIRED' });
  t.like(parse(401, '{"message":"Invalid signature"}'), { code: 'AUTH.INVALID_TOKEN' });
  t.like(parse(413, '{"message":"Request size limit exceeded"}'), { code: 'REQUEST.TOO_LARGE', status: 413 });
  t.like(parse(429, '{}', '42'), { code: 'REQUEST.RATE_LIMITED', retryAfter: 42 });
  t.false('retryAfter' in parse(429, '{}', 'soon'));
  t.like(parse(418, '{}'), { code: 'REQUEST.REFUSED', title: 'Error', status: 418 });
});

test('the request-id guard drops in Lua exactly the ids the dev gateway drops', (t) => {
  const ids = [
    'abc-123',
    'a.b_c:d-e',
    '',
    'x'.repeat(128),
    'x'.repeat(129),
    'with space',
    'é',
    'a/b',
    'a"b',
    'A%b',
  ];
  const pdk = `{ request = { get_header = function(name) if name == "x-request-id" then return c.id end end },
    service = { request = { clear_header = function(name) out.headers[#out.headers + 1] = name end } } }`;
  const output = luajit(
    harness(
      [REQUEST_ID_GUARD_LUA],
      ids.map((id) => `{ id = ${luaString(id)} }`),
      pdk,
      'table.concat(out.headers, ";")',
    ),
  );
  const lines = output.split('\n').slice(0, ids.length);
  for (const [index, id] of ids.entries()) {
    t.is(lines[index], isSafeId(id) ? '' : 'x-request-id', JSON.stringify(id));
  }
});
