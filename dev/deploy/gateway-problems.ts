import { problem, PROBLEM_CONTENT_TYPE } from '../../shared/runtime/http-problem';

// Kong's own refusals (the jwt plugin's 401, request-size-limiting's 413, rate-limiting's 429, "no Route matched")
// answer `{"message": ...}`. A client of this API reads one error shape, the functions' problem documents
// (shared/runtime/http-problem.ts), so a global pre-function rewrites Kong's 4xx answers into them, with the codes a
// function gives for the same refusal. The rules are written once, here: the Lua in kong.yml is rendered from them,
// the dev gateway runs them as TypeScript (dev/gateway/plugins/pre-function.ts), and
// test/integration/kong-lua-snippets.test.ts runs the Lua in LuaJIT against the TypeScript.

/** One refusal of the gateway: its status, for a 401 what Kong's body says, its code and what it tells the client. */
interface Refusal {
  readonly status: number;
  /** Kong's body exactly, or a part of it. */
  readonly body?: { readonly exact: string } | { readonly contains: string };
  readonly code: string;
  readonly detail: string;
}

const TOO_LARGE = {
  code: 'REQUEST.TOO_LARGE',
  detail: 'The request body is larger than the gateway allows.',
} as const;

/** In order: the first that applies is the answer. Kong's bodies are its cjson output, as the dev gateway's. */
const REFUSALS: readonly Refusal[] = [
  {
    status: 401,
    // The jwt plugin's answer to a request that carries no token.
    body: { exact: '{"message":"Unauthorized"}' },
    code: 'AUTH.MISSING_TOKEN',
    detail: 'An access token is required.',
  },
  {
    status: 401,
    // Its answer to failed claims is their errors: {"exp":"token expired"}.
    body: { contains: '"token expired"' },
    code: 'AUTH.TOKEN_EXPIRED',
    detail: 'The access token has expired.',
  },
  { status: 401, code: 'AUTH.INVALID_TOKEN', detail: 'The access token is invalid.' },
  { status: 404, code: 'ROUTE.NOT_FOUND', detail: 'No route for this method and path.' },
  { status: 411, code: 'REQUEST.LENGTH_REQUIRED', detail: 'A Content-Length header is required.' },
  { status: 413, ...TOO_LARGE },
  // request-size-limiting's answer to `Expect: 100-continue` announcing a body over the limit.
  { status: 417, ...TOO_LARGE },
  {
    status: 429,
    code: 'REQUEST.RATE_LIMITED',
    detail: 'Too many requests from this address; try again later.',
  },
];

/** Any other client error Kong answers itself. */
const OTHER = { code: 'REQUEST.REFUSED', detail: 'The gateway refused the request.' } as const;

/** The codes the gateway itself answers with for a status: for the API documents. */
export function gatewayProblemCodes(status: number): readonly string[] {
  return [...new Set(REFUSALS.filter((refusal) => refusal.status === status).map((refusal) => refusal.code))];
}

/** Whether the pre-function rewrites an answer: Kong's own (an exit, not the service's), and a client error. */
export function isGatewayRefusal(status: number, source: 'exit' | 'service'): boolean {
  return source === 'exit' && status >= 400 && status < 500;
}

function applies(refusal: Refusal, status: number, kongBody: string): boolean {
  if (refusal.status !== status) return false;
  if (refusal.body === undefined) return true;
  return 'exact' in refusal.body ? kongBody === refusal.body.exact : kongBody.includes(refusal.body.contains);
}

/** Retry-After as the problem's `retryAfter`: whole seconds, at most nine digits (anything else is left out). */
const RETRY_AFTER = /^\d{1,9}$/;

/**
 * The problem document that replaces Kong's refusal `status` with `kongBody`: its JSON text, byte for byte what the
 * Lua writes. A 429 carries `retryAfter` when Kong's Retry-After is a whole number of seconds.
 */
export function gatewayProblemBody(status: number, kongBody: string, retryAfter: string | undefined): string {
  const { code, detail } = REFUSALS.find((refusal) => applies(refusal, status, kongBody)) ?? OTHER;
  const wait = status === 429 && retryAfter !== undefined && RETRY_AFTER.test(retryAfter);
  return JSON.stringify({
    ...problem(status, code, detail),
    ...(wait ? { retryAfter: Number(retryAfter) } : {}),
  });
}

/** A Lua string literal, double-quoted. */
function lua(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A text the Lua puts between JSON quotes as it is: nothing in it may need escaping. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
  if (/["\\\u0000-\u001f]/.test(text)) throw new Error(`a gateway problem text needs JSON escaping: ${text}`);
  return lua(text);
}

const REFUSAL_CONDITION = 'kong.response.get_source() == "exit" and status >= 400 and status < 500';

/**
 * The pre-function `header_filter` snippet: Kong's refusals are problem documents. Content-Length is cleared, as
 * Kong's PDK asks of a body filter that changes the body's length.
 */
export const GATEWAY_PROBLEM_HEADER_LUA = [
  'local status = kong.response.get_status()',
  `if ${REFUSAL_CONDITION} then`,
  `  kong.response.set_header("Content-Type", ${lua(PROBLEM_CONTENT_TYPE)})`,
  '  kong.response.clear_header("Content-Length")',
  'end',
].join('\n');

/** One `if`/`elseif` of the body snippet: the refusal's test, then its code and detail. */
function branch(refusal: Refusal, index: number): string {
  const tests = [`status == ${String(refusal.status)}`];
  if (refusal.body !== undefined) {
    tests.push(
      'exact' in refusal.body
        ? `body == ${lua(refusal.body.exact)}`
        : `body:find(${lua(refusal.body.contains)}, 1, true)`,
    );
  }
  return [
    `    ${index === 0 ? 'if' : 'elseif'} ${tests.join(' and ')} then`,
    `      code, detail = ${plain(refusal.code)}, ${plain(refusal.detail)}`,
  ].join('\n');
}

/** problem()'s title for a status it has none for. */
const UNTITLED = problem(499, 'X', '').title;
/** problem()'s titles of the client errors it names, for the Lua to look up by status. */
const TITLES = Array.from({ length: 100 }, (_, offset) => 400 + offset).flatMap((status) => {
  const { title } = problem(status, 'X', '');
  return title === UNTITLED ? [] : [`[${String(status)}] = ${plain(title)}`];
});
/** The problem type's URL before the code's path (problem() makes `a/b` of the code `A.B`). */
const TYPE_BASE = problem(400, 'X', '').type.slice(0, -'x'.length);

/**
 * The pre-function `body_filter` snippet: Kong's body (whole, once its last chunk is read) becomes the problem
 * document of its refusal. The JSON is written with string.format: the sandbox lets no JSON library be required.
 */
export const GATEWAY_PROBLEM_BODY_LUA = [
  'local status = kong.response.get_status()',
  `if ${REFUSAL_CONDITION} then`,
  '  local body = kong.response.get_raw_body()',
  '  if body then',
  '    local code, detail',
  ...REFUSALS.map(branch),
  '    else',
  `      code, detail = ${plain(OTHER.code)}, ${plain(OTHER.detail)}`,
  '    end',
  `    local titles = { ${TITLES.join(', ')} }`,
  '    local extra = ""',
  '    local wait = kong.response.get_header("Retry-After")',
  '    if status == 429 and type(wait) == "string" and #wait <= 9 and wait:find("^%d+$") then',
  `      extra = string.format(',"retryAfter":%d', tonumber(wait))`,
  '    end',
  '    local path = (code:lower():gsub("%.", "/"))',
  '    kong.response.set_raw_body(string.format(',
  `      '{"type":"${TYPE_BASE}%s","title":"%s","status":%d,"code":"%s","detail":"%s"%s}',`,
  `      path, titles[status] or ${plain(UNTITLED)}, status, code, detail, extra))`,
  '  end',
  'end',
].join('\n');
