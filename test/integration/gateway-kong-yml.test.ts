// The dev gateway on the committed, generated kong/kong.yml (and on variants of it that set one more option),
// with every service pointed at a stand-in server: what Kong's jwt and rate-limiting plugins answer on the
// product's real routes, in which order they run, and the service's read timeout. Every clock is the test's.
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import test from 'ava';
import { parse, stringify } from 'yaml';
import { JWT_ISSUER, RATE_LIMIT } from '../../dev/deploy/deploy-settings';
import { gatewayProblemBody } from '../../dev/deploy/gateway-problems';
import { startDevGateway, type DevGateway } from '../../dev/gateway/dev-gateway';
import { parseKongConfig, type KongConfig } from '../../dev/gateway/kong-config';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { DEV_JWT_PRIVATE_KEY_PEM } from '../../shared/auth/dev-keys';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { PROBLEM_CONTENT_TYPE } from '../../shared/runtime/http-problem';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../shared/domain/user/access-token-claims';

const KONG_YML_PATH = path.resolve(__dirname, '../../kong/kong.yml');
const KONG_YML = readFileSync(KONG_YML_PATH, 'utf8');
/** The protected route every jwt case goes through: GET /v1/users/me, the user-query function. */
const ME = '/v1/users/me';
const ME_ROUTE = 'user-query-get-v1-users-me';

/** 15 s into a minute, frozen: each gateway's clock moves only when its test moves it. */
const T0 = Date.UTC(2026, 0, 5, 9, 30, 15);
const T0_SECONDS = T0 / 1000;

// ---- kong.yml and its variants ------------------------------------------------------------------------------

interface RawPlugin {
  name: string;
  config: Record<string, unknown>;
}
interface RawRoute {
  name: string;
  plugins?: RawPlugin[];
}
interface RawService {
  name: string;
  read_timeout?: number;
  routes: RawRoute[];
}
interface RawKongYml {
  services: RawService[];
  consumers: { jwt_secrets: { rsa_public_key: string; secret: string }[] }[];
}

const generated = parseKongConfig(KONG_YML, KONG_YML_PATH);
const raw = () => parse(KONG_YML) as RawKongYml;
const secretOfKongYml = raw().consumers[0]?.jwt_secrets[0];

/** kong.yml with one edit, validated again as the gateway validates any kong.yml. */
function variant(edit: (document: RawKongYml) => void): KongConfig {
  const document = raw();
  edit(document);
  return parseKongConfig(stringify(document), 'kong.yml variant');
}

function routeOf(document: RawKongYml, name: string): RawRoute {
  const route = document.services.flatMap((service) => service.routes).find((r) => r.name === name);
  if (!route) throw new Error(`kong.yml has no route ${name}`);
  return route;
}

function jwtConfigOf(route: RawRoute): Record<string, unknown> {
  const jwt = route.plugins?.find((plugin) => plugin.name === 'jwt');
  if (!jwt) throw new Error(`route ${route.name} has no jwt plugin`);
  return jwt.config;
}

// ---- stand-ins for the functions ----------------------------------------------------------------------------

/** What a stand-in saw of one request. */
interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A function stand-in: records each request and answers 200 with its service name, except a request marked
 * `x-stand-in: hold`, which it never answers; `held()` resolves with the next such request as it arrives.
 */
async function startStandIn(service: string) {
  const seen: Seen[] = [];
  const waiting: ((req: IncomingMessage) => void)[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.headers['x-stand-in'] === 'hold') {
      waiting.shift()?.(req);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    seen,
    held: () => new Promise<IncomingMessage>((resolve) => waiting.push(resolve)),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
type StandIn = Awaited<ReturnType<typeof startStandIn>>;

const standIns = new Map<string, StandIn>();
const gateways: DevGateway[] = [];

/** A gateway on `config` whose clock is `now`, every HTTP service of kong.yml at its stand-in. */
async function gatewayOn(config: KongConfig | string, now: () => number): Promise<DevGateway> {
  const gateway = await startDevGateway({
    kongConfig: config,
    upstreams: (service) => standIns.get(service)?.url,
    port: 0,
    httpsPort: 0,
    now,
  });
  gateways.push(gateway);
  return gateway;
}

/** The gateway on kong.yml exactly as committed, clock frozen at T0; for the tests that move no clock. */
let shared: DevGateway;

test.before(async () => {
  for (const service of generated.services) standIns.set(service.name, await startStandIn(service.name));
  // By its path, as the local stack passes it.
  shared = await gatewayOn(KONG_YML_PATH, () => T0);
});

test.after.always(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  for (const standIn of standIns.values()) standIn.close();
});

function standInOf(service: string): StandIn {
  const standIn = standIns.get(service);
  if (!standIn) throw new Error(`no stand-in for ${service}`);
  return standIn;
}
const userQuery = () => standInOf('user-query');
const seenWith = (standIn: StandIn, marker: string) =>
  standIn.seen.filter((entry) => entry.headers['x-test'] === marker);

// ---- requests -----------------------------------------------------------------------------------------------

/** Request headers; an array is sent as the same header repeated. */
type RequestHeaders = Readonly<Record<string, string | string[]>>;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/**
 * One request through node:https (trusting the gateway's certificate; node:http with `plain`), so a header can be
 * sent twice (an array value is sent as repeated lines); the body is parsed when it is JSON.
 */
function send(
  gateway: DevGateway,
  target: string,
  options: { method?: string; headers?: RequestHeaders; body?: string; plain?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const method = options.method ?? 'GET';
    const onResponse = (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const json = /^application\/(problem\+)?json/.test(res.headers['content-type'] ?? '');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json ? JSON.parse(text) : text });
      });
    };
    const req = options.plain
      ? request(`${gateway.httpUrl}${target}`, { method, headers }, onResponse)
      : httpsRequest(`${gateway.url}${target}`, { method, headers, ca: gateway.ca }, onResponse);
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = (token: string) => `Bearer ${token}`;

/** The WWW-Authenticate of Kong's jwt (3.8+) when a token came and was refused. */
const INVALID_TOKEN = 'Bearer error="invalid_token"';
/**
 * What kong.yml's pre-function makes of a refusal of Kong's with this body (Kong's own words, kept here to say which
 * refusal it is): a problem document (dev/deploy/gateway-problems.ts).
 */
const problemOf = (status: number, kongBody: Record<string, string>, retryAfter?: string): unknown =>
  JSON.parse(gatewayProblemBody(status, JSON.stringify(kongBody), retryAfter));

// ---- tokens -------------------------------------------------------------------------------------------------

const devKey = createPrivateKey(DEV_JWT_PRIVATE_KEY_PEM);
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with exactly this header and these claims, signed over them by `signer` (none: empty signature). */
function jwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signer?: (data: Buffer) => Buffer,
): string {
  const signed = `${segment(header)}.${segment(claims)}`;
  return `${signed}.${signer ? signer(Buffer.from(signed)).toString('base64url') : ''}`;
}

/** ES256 with the dev private key, whose public half is kong.yml's consumer key. */
const es256 = (data: Buffer) => sign('sha256', data, { key: devKey, dsaEncoding: 'ieee-p1363' });
const hs256 = (key: string) => (data: Buffer) => createHmac('sha256', key).update(data).digest();

/** The claims of an access token issued at T0, as the login function writes them, with `changes` applied. */
function claims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: JWT_ISSUER,
    sub: 'u-1',
    role: 'customer',
    iat: T0_SECONDS,
    exp: T0_SECONDS + ACCESS_TOKEN_TTL_SECONDS,
  };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) Reflect.deleteProperty(base, name);
    else base[name] = value;
  }
  return base;
}

const es256Token = (changes?: Record<string, unknown>) =>
  jwt({ alg: 'ES256', typ: 'JWT' }, claims(changes), es256);
const signer = loadConfig(AccessTokenSignerEnv, {});
/** A token as the login function issues it at T0. */
const issued = () =>
  signAccessToken(
    { userId: 'u-1', role: 'customer', sessionId: '00000000-0000-4000-8000-00000000005e' },
    signer,
    { now: new Date(T0) },
  ).token;

/**
 * Sends each refused request marked `marker`, then one that passes with the same marker: once that one has been
 * answered, the stand-in has seen everything the gateway forwarded, so "only the last one" is a fact, not a wait.
 */
async function refusedThenFence(
  gateway: DevGateway,
  marker: string,
  refusals: readonly (readonly [RequestHeaders, string?])[],
): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const [headers, target] of refusals) {
    answers.push(await send(gateway, target ?? ME, { headers: { ...headers, 'x-test': marker } }));
  }
  const fence = await send(gateway, ME, { headers: { authorization: bearer(issued()), 'x-test': marker } });
  if (fence.status !== 200) throw new Error(`the fence request was answered ${fence.status}`);
  return answers;
}

// ---- protocols: every route of kong.yml is HTTPS only ---------------------------------------------------------

test('kong.yml over plain HTTP: every route redirects (308) to the same path and query over HTTPS, before jwt or rate limits, and no function sees it', async (t) => {
  const marker = 'plain-http';
  const login = await send(shared, '/v1/auth/login?from=app', {
    method: 'POST',
    plain: true,
    headers: { 'x-test': marker },
    body: '{}',
  });
  t.is(login.status, 308);
  t.is(login.headers.location, `https://127.0.0.1:${String(shared.port)}/v1/auth/login?from=app`);
  // A protected route: the redirect, not the jwt plugin's 401 (no token crosses the network in the clear).
  const me = await send(shared, ME, { plain: true, headers: { 'x-test': marker } });
  t.is(me.status, 308);
  t.is(me.headers.location, `https://127.0.0.1:${String(shared.port)}${ME}`);
  t.is(me.headers['x-content-type-options'], 'nosniff', "the global plugins' headers still go out");
  t.deepEqual(seenWith(standInOf('login'), marker), []);
  t.deepEqual(seenWith(userQuery(), marker), []);
  // Followed, the redirect lands on the same route over HTTPS.
  const followed = await send(shared, ME, { headers: { authorization: bearer(issued()), 'x-test': marker } });
  t.is(followed.status, 200);
  t.is(seenWith(userQuery(), marker)[0]?.headers['x-forwarded-proto'], 'https');
});

// ---- jwt on the generated config ----------------------------------------------------------------------------

test('kong.yml, GET /v1/users/me: a valid token in the Authorization header passes, with the consumer headers', async (t) => {
  const marker = 'valid-header';
  const token = issued();
  const answer = await send(shared, ME, { headers: { authorization: bearer(token), 'x-test': marker } });
  t.is(answer.status, 200);
  t.deepEqual(answer.body, { service: 'user-query' });
  const [seen, ...more] = seenWith(userQuery(), marker);
  t.deepEqual(more, []);
  t.is(seen?.url, ME);
  t.is(seen?.headers.authorization, bearer(token), 'the token goes on unchanged');
  t.is(seen?.headers['x-consumer-username'], JWT_ISSUER);
  t.is(seen?.headers['x-credential-identifier'], JWT_ISSUER);
});

test('kong.yml refuses query tokens (uri_param_names: []): the same token only in ?jwt= is 401 Unauthorized, as with no token', async (t) => {
  const token = issued();
  const marker = 'query-token';
  const [inQuery, none] = await refusedThenFence(shared, marker, [
    [{}, `${ME}?jwt=${token}`],
    [{}, ME],
  ]);
  for (const answer of [inQuery, none]) {
    t.is(answer?.status, 401);
    t.deepEqual(answer?.body, problemOf(401, { message: 'Unauthorized' }));
    t.like(answer?.body, { status: 401, code: 'AUTH.MISSING_TOKEN' });
    t.is(answer?.headers['content-type'], PROBLEM_CONTENT_TYPE);
    t.is(answer?.headers['www-authenticate'], 'Bearer', 'no token seen: the bare challenge');
  }
  t.deepEqual(
    seenWith(userQuery(), marker).map((entry) => entry.url),
    [ME],
    'only the fence reached the function',
  );
});

test('kong.yml, several tokens: the query and cookies are not read, the first Authorization header counts, two tokens in one header are a bad token', async (t) => {
  const token = issued();
  const other = es256Token({ sub: 'u-2' });
  // With Kong's default uri_param_names, a second token in ?jwt= would be "Multiple tokens provided".
  const marker = 'several-tokens';
  const besideQuery = await send(shared, `${ME}?jwt=${other}`, {
    headers: { authorization: bearer(token), cookie: `jwt=${other}`, 'x-test': marker },
  });
  t.is(besideQuery.status, 200);
  t.deepEqual(
    seenWith(userQuery(), marker).map((entry) => entry.url),
    [`${ME}?jwt=${other}`],
    'the query goes on unchanged',
  );
  const firstValid = await send(shared, ME, { headers: { authorization: [bearer(token), 'Bearer junk'] } });
  t.is(firstValid.status, 200, 'the first of two Authorization headers is the one read');
  const cases: [RequestHeaders, string][] = [
    [{ authorization: ['Bearer junk', bearer(token)] }, 'Bad token; invalid JSON'],
    // Kong's `[Bb]earer\s+(.+)` takes the rest of the header, so the second token is read as the signature.
    [{ authorization: `${bearer(token)}, ${bearer(other)}` }, 'Bad token; invalid signature'],
  ];
  const answers = await refusedThenFence(
    shared,
    'several-refused',
    cases.map(([headers]) => [headers]),
  );
  for (const [index, [headers, message]] of cases.entries()) {
    t.is(answers[index]?.status, 401, JSON.stringify(headers));
    t.deepEqual(answers[index]?.body, problemOf(401, { message }));
    t.is(answers[index]?.headers['www-authenticate'], INVALID_TOKEN);
  }
  t.is(seenWith(userQuery(), 'several-refused').length, 1, 'only the fence reached the function');
});

test("kong.yml, the token's iss: missing is 401 \"No mandatory 'iss' in claims\", empty is \"Invalid 'iss'\", unknown has no credentials; Kong also reads it from the JWT header", async (t) => {
  const cases: [string, string][] = [
    [es256Token({ iss: undefined }), "No mandatory 'iss' in claims"],
    [es256Token({ iss: '' }), "Invalid 'iss' in claims"],
    [es256Token({ iss: 'stranger' }), "No credentials found for given 'iss'"],
  ];
  const marker = 'iss';
  const answers = await refusedThenFence(
    shared,
    marker,
    cases.map(([token]) => [{ authorization: bearer(token) }]),
  );
  for (const [index, [, message]] of cases.entries()) {
    t.is(answers[index]?.status, 401, message);
    t.deepEqual(answers[index]?.body, problemOf(401, { message }));
    t.is(answers[index]?.headers['www-authenticate'], INVALID_TOKEN);
  }
  t.is(seenWith(userQuery(), marker).length, 1, 'only the fence reached the function');
  // Kong's rule: claims[key_claim_name] or header[key_claim_name].
  const inHeader = jwt({ alg: 'ES256', iss: JWT_ISSUER }, claims({ iss: undefined }), es256);
  t.is((await send(shared, ME, { headers: { authorization: bearer(inHeader) } })).status, 200);
});

test('kong.yml, algorithm confusion: HS256 tokens keyed with the consumer key PEM or its placeholder secret are 401 "Invalid algorithm"', async (t) => {
  const pem = secretOfKongYml?.rsa_public_key ?? '';
  const placeholder = secretOfKongYml?.secret ?? '';
  t.regex(pem, /^-----BEGIN PUBLIC KEY-----\n/);
  t.is(placeholder, 'unused-es256-verifies-with-the-public-key');
  const forged = [
    jwt({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(pem)),
    jwt({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(pem.trimEnd())),
    jwt({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(placeholder)),
  ];
  const marker = 'alg-confusion';
  const answers = await refusedThenFence(
    shared,
    marker,
    forged.map((token) => [{ authorization: bearer(token) }]),
  );
  for (const answer of answers) {
    t.is(answer.status, 401);
    t.deepEqual(answer.body, problemOf(401, { message: 'Invalid algorithm' }));
    t.is(answer.headers['www-authenticate'], INVALID_TOKEN);
  }
  t.is(seenWith(userQuery(), marker).length, 1, 'only the fence reached the function');
});

test('kong.yml, alg none or no alg: 401 "Bad token; invalid alg"', async (t) => {
  const tokens = [
    jwt({ alg: 'none', typ: 'JWT' }, claims()),
    jwt({ alg: 'none', typ: 'JWT' }, claims(), es256),
    jwt({ typ: 'JWT' }, claims(), es256),
  ];
  const marker = 'alg-none';
  const answers = await refusedThenFence(
    shared,
    marker,
    tokens.map((token) => [{ authorization: bearer(token) }]),
  );
  for (const answer of answers) {
    t.is(answer.status, 401);
    t.deepEqual(answer.body, problemOf(401, { message: 'Bad token; invalid alg' }));
    t.is(answer.headers['www-authenticate'], INVALID_TOKEN);
  }
  t.is(seenWith(userQuery(), marker).length, 1, 'only the fence reached the function');
});

test('kong.yml verifies exp: missing or not a number is 401 {"exp":"must be a number"}; exp at now is expired, a second later passes', async (t) => {
  const cases: [string, Record<string, string>][] = [
    [es256Token({ exp: undefined }), { exp: 'must be a number' }],
    [es256Token({ exp: String(T0_SECONDS + 900) }), { exp: 'must be a number' }],
    [es256Token({ exp: T0_SECONDS }), { exp: 'token expired' }],
  ];
  const marker = 'exp';
  const answers = await refusedThenFence(
    shared,
    marker,
    cases.map(([token]) => [{ authorization: bearer(token) }]),
  );
  for (const [index, [, body]] of cases.entries()) {
    t.is(answers[index]?.status, 401);
    t.deepEqual(answers[index]?.body, problemOf(401, body), 'Kong answers claim errors as the body itself');
    t.is(answers[index]?.headers['www-authenticate'], INVALID_TOKEN);
  }
  t.is(seenWith(userQuery(), marker).length, 1, 'only the fence reached the function');
  const lastSecond = es256Token({ exp: T0_SECONDS + 1 });
  t.is((await send(shared, ME, { headers: { authorization: bearer(lastSecond) } })).status, 200);
});

test('kong.yml verifies only exp: nbf is not in claims_to_verify, so a future or malformed nbf passes and an expired token fails on exp alone', async (t) => {
  for (const nbf of [T0_SECONDS + 3600, 'tomorrow']) {
    const answer = await send(shared, ME, { headers: { authorization: bearer(es256Token({ nbf })) } });
    t.is(answer.status, 200, `nbf ${nbf}`);
  }
  const expired = es256Token({ nbf: T0_SECONDS + 3600, exp: T0_SECONDS - 1 });
  const answer = await send(shared, ME, { headers: { authorization: bearer(expired) } });
  t.is(answer.status, 401);
  t.deepEqual(answer.body, problemOf(401, { exp: 'token expired' }));
});

test('jwt with maximum_expiration 900 and claims_to_verify [exp, nbf] on /v1/users/me: exp beyond 900 s is 401 "exceeds maximum allowed expiration"; nbf is now checked', async (t) => {
  const config = variant((document) => {
    Object.assign(jwtConfigOf(routeOf(document, ME_ROUTE)), {
      maximum_expiration: 900,
      claims_to_verify: ['exp', 'nbf'],
    });
  });
  const gateway = await gatewayOn(config, () => T0);
  const cases: [string, Record<string, string>][] = [
    [es256Token({ exp: T0_SECONDS + 901, nbf: T0_SECONDS }), { exp: 'exceeds maximum allowed expiration' }],
    // verify_registered_claims runs first: a missing exp is "must be a number" there, not "exceeds".
    [es256Token({ exp: undefined, nbf: T0_SECONDS }), { exp: 'must be a number' }],
    [es256Token({ nbf: T0_SECONDS + 1 }), { nbf: 'token not valid yet' }],
    [es256Token({ nbf: undefined }), { nbf: 'must be a number' }],
    [
      es256Token({ exp: T0_SECONDS - 1, nbf: T0_SECONDS + 1 }),
      { exp: 'token expired', nbf: 'token not valid yet' },
    ],
  ];
  for (const [token, body] of cases) {
    const answer = await send(gateway, ME, { headers: { authorization: bearer(token) } });
    t.is(answer.status, 401, JSON.stringify(body));
    t.deepEqual(answer.body, problemOf(401, body));
    t.is(answer.headers['www-authenticate'], INVALID_TOKEN);
  }
  const atMaximum = es256Token({ exp: T0_SECONDS + 900, nbf: T0_SECONDS });
  t.is((await send(gateway, ME, { headers: { authorization: bearer(atMaximum) } })).status, 200);
});

// ---- rate limiting and plugin order -------------------------------------------------------------------------

/** A clock the test moves by hand. */
function testClock(start: number) {
  let now = start;
  return {
    now: () => now,
    set: (to: number) => {
      now = to;
    },
  };
}

/** Kong's client headers of a minute limit, as strings. */
function minuteHeaders(answer: Answer) {
  const h = answer.headers;
  return {
    limitMinute: h['x-ratelimit-limit-minute'],
    remainingMinute: h['x-ratelimit-remaining-minute'],
    limit: h['ratelimit-limit'],
    remaining: h['ratelimit-remaining'],
    reset: h['ratelimit-reset'],
    retryAfter: h['retry-after'],
  };
}

test('kong.yml, POST /v1/auth/login: 10 a minute per IP; the 11th in the minute is 429 with Kong headers, and the next minute starts afresh', async (t) => {
  const clock = testClock(T0);
  const gateway = await gatewayOn(generated, clock.now);
  const marker = 'login-limit';
  const login = () =>
    send(gateway, '/v1/auth/login', { method: 'POST', body: '{}', headers: { 'x-test': marker } });
  for (let n = 1; n <= 10; n++) {
    const answer = await login();
    t.is(answer.status, 200, `login ${n}`);
    t.deepEqual(minuteHeaders(answer), {
      limitMinute: '10',
      remainingMinute: String(10 - n),
      limit: '10',
      remaining: String(10 - n),
      reset: '45',
      retryAfter: undefined,
    });
  }
  clock.set(T0 + 44_999); // 09:30:59.999, still the same minute
  const refused = await login();
  t.is(refused.status, 429);
  t.deepEqual(refused.body, problemOf(429, { message: 'API rate limit exceeded' }, '1'));
  t.like(refused.body, { status: 429, code: 'REQUEST.RATE_LIMITED', retryAfter: 1 });
  t.deepEqual(minuteHeaders(refused), {
    limitMinute: '10',
    remainingMinute: '0',
    limit: '10',
    remaining: '0',
    reset: '1',
    retryAfter: '1',
  });
  clock.set(T0 + 45_000); // 09:31:00, a new minute
  const afresh = await login();
  t.is(afresh.status, 200);
  t.deepEqual(minuteHeaders(afresh), {
    limitMinute: '10',
    remainingMinute: '9',
    limit: '10',
    remaining: '9',
    reset: '60',
    retryAfter: undefined,
  });
  t.is(seenWith(standInOf('login'), marker).length, 11, 'all but the refused one reached login');
});

test('a route with jwt and rate-limiting: jwt (priority 1450) refuses before rate-limiting (910) counts, so 401s use none of the limit and carry no limit headers', async (t) => {
  const config = variant((document) => {
    const route = routeOf(document, ME_ROUTE);
    route.plugins = [
      ...(route.plugins ?? []),
      { name: 'rate-limiting', config: { minute: 3, ...RATE_LIMIT } },
    ];
  });
  const gateway = await gatewayOn(config, () => T0);
  const limitHeaders = (answer: Answer) =>
    Object.keys(answer.headers).filter((name) => /ratelimit|retry-after/.test(name));
  const unauthenticated: RequestHeaders[] = [
    {},
    { authorization: 'Bearer junk' },
    { authorization: bearer(es256Token({ exp: T0_SECONDS })) },
  ];
  for (const headers of [...unauthenticated, ...unauthenticated]) {
    const answer = await send(gateway, ME, { headers });
    t.is(answer.status, 401);
    t.deepEqual(limitHeaders(answer), []);
  }
  const token = issued();
  for (const remaining of ['2', '1', '0']) {
    const answer = await send(gateway, ME, { headers: { authorization: bearer(token) } });
    t.is(answer.status, 200);
    t.is(answer.headers['x-ratelimit-remaining-minute'], remaining, 'the six 401s were not counted');
  }
  const refused = await send(gateway, ME, { headers: { authorization: bearer(token) } });
  t.is(refused.status, 429);
  t.is(refused.headers['retry-after'], '45');
  // With the limit used up, jwt still answers first: no token is 401, not 429.
  const noToken = await send(gateway, ME);
  t.is(noToken.status, 401);
  t.deepEqual(noToken.body, problemOf(401, { message: 'Unauthorized' }));
  t.deepEqual(limitHeaders(noToken), []);
});

// ---- the service's read timeout -----------------------------------------------------------------------------

test('a protected route whose function stays silent past the service\'s read_timeout is 504 "The upstream server is timing out", and the upstream request is dropped', async (t) => {
  // Without the timeout the request would hang until ava's 2 minutes: fail well before.
  t.timeout(20_000);
  const READ_TIMEOUT = 500;
  const config = variant((document) => {
    const service = document.services.find((s) => s.name === 'user-query');
    if (service) service.read_timeout = READ_TIMEOUT;
  });
  const gateway = await gatewayOn(config, () => T0);
  // Kong's error page follows Accept (text/plain without one): an API client asks for JSON.
  const headers = { authorization: bearer(issued()), accept: 'application/json' };
  t.is((await send(gateway, ME, { headers })).status, 200, 'a function that answers is unaffected');
  const arrived = userQuery().held();
  const started = performance.now();
  const answering = send(gateway, ME, { headers: { ...headers, 'x-stand-in': 'hold' } });
  const { socket } = await arrived;
  const dropped = new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else
      socket.once('close', () => {
        resolve();
      });
  });
  const answer = await answering;
  const elapsed = performance.now() - started;
  t.is(answer.status, 504);
  t.is((answer.body as { message?: unknown }).message, 'The upstream server is timing out');
  // Timers may fire up to a millisecond early against performance.now(); a much shorter timeout cannot hide here.
  t.true(elapsed >= READ_TIMEOUT - 2, `answered after ${Math.round(elapsed)} ms`);
  await dropped;
  t.pass('the gateway closed its connection to the silent function');
});

// ---- the headers on every answer ----------------------------------------------------------------------------

test("kong.yml: every answer says X-Content-Type-Options: nosniff, a function's and Kong's own (no route, jwt 401, 413, 429, a preflight)", async (t) => {
  const gateway = await gatewayOn(generated, () => T0);
  const answers: Record<string, Answer> = {
    'a function 200': await send(gateway, ME, { headers: { authorization: bearer(issued()) } }),
    'no route 404': await send(gateway, '/v1/no-such-route'),
    'jwt 401': await send(gateway, ME),
    'jwt 401, a bad token': await send(gateway, ME, { headers: { authorization: 'Bearer junk' } }),
    'size 413': await send(gateway, '/v1/auth/register', { method: 'POST', body: 'x'.repeat(200 * 1024) }),
    preflight: await send(gateway, '/v1/products', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    }),
  };
  for (let n = 1; n <= 11; n++) {
    answers['login'] = await send(gateway, '/v1/auth/login', { method: 'POST', body: '{}' });
  }
  t.deepEqual(Object.fromEntries(Object.entries(answers).map(([label, answer]) => [label, answer.status])), {
    'a function 200': 200,
    'no route 404': 404,
    'jwt 401': 401,
    'jwt 401, a bad token': 401,
    'size 413': 413,
    preflight: 200,
    login: 429,
  });
  for (const [label, answer] of Object.entries(answers)) {
    t.is(answer.headers['x-content-type-options'], 'nosniff', label);
  }
});

test("kong.yml: a 401 is cache-control no-store, Kong's own included; other answers keep theirs", async (t) => {
  const refusals: RequestHeaders[] = [
    {},
    { authorization: 'Bearer junk' },
    { authorization: bearer(es256Token({ exp: 1 })) },
  ];
  for (const headers of refusals) {
    const refused = await send(shared, ME, { headers });
    t.is(refused.status, 401);
    t.is(refused.headers['cache-control'], 'no-store', JSON.stringify(headers));
  }
  const passed = await send(shared, ME, { headers: { authorization: bearer(issued()) } });
  t.is(passed.status, 200);
  t.is(passed.headers['cache-control'], undefined, "the stand-in's answer says nothing of caching");
  t.is((await send(shared, '/v1/no-such-route')).headers['cache-control'], undefined);
});

test('kong.yml: an empty X-Request-ID is replaced by a fresh one, for the function and in the answer, as a junk one is', async (t) => {
  for (const id of ['', 'has space', 'x'.repeat(129)]) {
    const marker = `request-id-${id.length}-${id.slice(0, 3)}`;
    const answer = await send(shared, ME, {
      headers: { authorization: bearer(issued()), 'x-request-id': id, 'x-test': marker },
    });
    t.is(answer.status, 200);
    const echoed = String(answer.headers['x-request-id']);
    t.regex(echoed, /^[0-9a-f-]{36}$/, JSON.stringify(id));
    t.deepEqual(
      seenWith(userQuery(), marker).map((entry) => entry.headers['x-request-id']),
      [echoed],
      'the function got the fresh id',
    );
  }
});
