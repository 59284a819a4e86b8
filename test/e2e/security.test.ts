// The user service attacked from outside: `npm start` (its own key pair, the configured admin), reached only through
// the dev gateway (the routes and plugins of kong/kong.yml), as a client on this machine would. Each case asserts
// the secure answer: the status, and the problem's `code` where a function answers (shared/runtime/http-problem.ts).
// Kong's own refusals (jwt, request size, rate limit, no route) are `{"message": …}` JSON without a code; where either
// Kong or the function may refuse first, both are accepted, each with its own shape. Every answer, Kong's own
// included, carries X-Content-Type-Options: nosniff, and is as docs/openapi.yaml documents it (a listed status, a
// body of the documented schema): each test's client holds every answer it gets to both. The calls stay raw (no
// typed client sends forged tokens, malformed JSON or unknown routes); test/support/api/api-document.ts judges them.
import { spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, status } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { decode, sign } from 'jsonwebtoken';
import { parse } from 'yaml';
import { freePort } from '../../dev/local-stack/free-port';
import { jwtKeyFiles } from '../../dev/local-stack/jwt-key-pair';
import { gatewayCertificateFiles } from '../../dev/gateway/gateway-certificate';
import { DEV_JWT_PRIVATE_KEY_PEM } from '../../shared/auth/dev-keys';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '../../shared/auth/verifier-config';
import { FIRST_DELAY_MS, FREE_FAILURES } from '../../shared/domain/user/password-throttle';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';
import { answerMisfit } from '../support/api/api-document';

const root = path.resolve(__dirname, '../..');

// ---------------------------------------------------------------------------------------------------------------
// The stack: one `npm start` for the whole file, with its output kept (the admin password must never be in it).
// ---------------------------------------------------------------------------------------------------------------

/** The configured admin: `npm start`'s default e-mail, and a password of this run's own from ADMIN_PASSWORD. */
const ADMIN = { email: 'admin@shop.local', password: `admin-${randomUUID()}` } as const;

interface Stack {
  /** The gateway's HTTPS port, and the certificate it serves (made in the data folder by `npm start`). */
  readonly port: number;
  readonly ca: string;
  readonly dataDir: string;
  /** The stack's own key pair (its data folder), so a test can sign a token that differs in one claim only. */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  output(): string;
  stop(): Promise<void>;
}

let stack: Stack | undefined;

function theStack(): Stack {
  if (!stack) throw new Error('the stack did not start (see the before hook)');
  return stack;
}

/** Signals every process of a group; false when the group is gone. */
function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` in its own process group, as local-stack.test.ts runs it, until its banner says it is ready. */
async function npmStart(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ecom-security-'));
  const port = await freePort();
  const httpsPort = await freePort();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: {
      ...process.env,
      DEV_DATA_DIR: dataDir,
      DEV_GATEWAY_PORT: String(port),
      DEV_GATEWAY_HTTPS_PORT: String(httpsPort),
      DEV_BROKER_PORT: String(await freePort()),
      ADMIN_PASSWORD: ADMIN.password,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = async () => {
    if (child.pid === undefined || output.includes('Stopped.')) return;
    if (killGroup(child.pid, 'SIGINT')) {
      await exited;
      const deadline = Date.now() + 60_000;
      while (!output.includes('Stopped.') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      // Whatever did not stop is killed, so no function outlives the file (its pipes would keep ava waiting).
      if (!output.includes('Stopped.')) killGroup(child.pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 240_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not come up:\n${output.slice(-8000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const keys = jwtKeyFiles(dataDir);
  return {
    port: httpsPort,
    ca: readFileSync(gatewayCertificateFiles(dataDir).cert, 'utf8'),
    dataDir,
    privateKeyPem: readFileSync(keys.privateKey, 'utf8'),
    publicKeyPem: readFileSync(keys.publicKey, 'utf8'),
    output: () => output,
    stop,
  };
}

test.before(async (t) => {
  t.timeout(300_000);
  stack = await npmStart();
});

test.after.always(async () => {
  await stack?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// A client of the gateway. Each test is its own client on its own loopback address (127.0.0.x): kong.yml limits
// login and register per client IP and minute, and the tests run at once, so sharing one address would make
// them refuse each other's calls. A Kong 429 is never the answer a test expects: it fails loudly as such. Every
// answer must say nosniff, whoever gave it (the functions set it; kong.yml's response-transformer adds it to Kong's),
// and be one docs/openapi.yaml documents for the operation.
// ---------------------------------------------------------------------------------------------------------------

interface CallOptions {
  /** Sent as JSON (`content-type: application/json`). */
  readonly body?: unknown;
  /** Sent as is, with only the headers given. */
  readonly raw?: string | Buffer;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Chunked, without Content-Length: the gateway cannot refuse it by its declared size. */
  readonly chunked?: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: unknown;
}

type Call = (method: string, route: string, options?: CallOptions) => Promise<Answer>;

let nextHost = 10;

/** The next loopback address of a client of its own. */
const newAddress = () => `127.0.0.${nextHost++}`;

/** Every answer says nosniff: asserted in a test, thrown in shared setup (which has no test to fail). */
function assertNosniff(t: ExecutionContext | undefined, answer: Answer, label: string): void {
  const value = answer.headers['x-content-type-options'];
  const what = `${label} ${answer.status}: x-content-type-options`;
  if (t) t.is(value, 'nosniff', what);
  else if (value !== 'nosniff') throw new Error(`${what} is ${String(value)}, not nosniff`);
}

/**
 * Every answer is as docs/openapi.yaml documents it (test/support/api/api-document.ts): a status the operation
 * lists, a body of the schema documented for it. A route the document does not have is exempt only where the
 * gateway itself refused it (its 404 ROUTE.NOT_FOUND for no route). Asserted in a test, thrown in shared setup.
 */
function assertDocumented(
  t: ExecutionContext | undefined,
  answer: Answer,
  method: string,
  route: string,
): void {
  const misfit = answerMisfit(method, route, answer.status, answer.headers['content-type'], answer.text);
  if (t) t.is(misfit, undefined, `${method} ${route}: the answer is as docs/openapi.yaml says`);
  else if (misfit !== undefined) throw new Error(misfit);
}

/**
 * A CORS preflight: the gateway's cors plugin answers it before any route or function, and OpenAPI describes no
 * preflight, so its answer is not held to the document (nosniff still is).
 */
const isPreflight = (method: string, options: CallOptions) =>
  method === 'OPTIONS' &&
  Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'access-control-request-method');

/**
 * A client on a loopback address of its own. With the test's `t`, every answer is asserted to carry nosniff and
 * to be as docs/openapi.yaml documents it; without (shared setup), an answer that is not throws.
 */
function newClient(t?: ExecutionContext): Call {
  const localAddress = newAddress();
  return async (method, route, options = {}) => {
    const answer = await send(localAddress, method, route, options);
    const code = (answer.body as { code?: unknown } | undefined)?.code;
    if (answer.status === 429 && code === 'REQUEST.RATE_LIMITED') {
      throw new Error(
        `the gateway rate-limited ${localAddress} on ${method} ${route}: too many calls in a test`,
      );
    }
    assertNosniff(t, answer, `${method} ${route}`);
    if (!isPreflight(method, options)) assertDocumented(t, answer, method, route);
    return answer;
  };
}

function send(localAddress: string, method: string, route: string, options: CallOptions): Promise<Answer> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: OutgoingHttpHeaders = {
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
  if (payload !== undefined && options.chunked !== true)
    headers['content-length'] = Buffer.byteLength(payload);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port: theStack().port,
        ca: theStack().ca,
        method,
        path: route,
        headers,
        localAddress,
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = /json/.test(res.headers['content-type'] ?? '') && text !== '';
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body: json ? (JSON.parse(text) as unknown) : undefined,
          });
        });
      },
    );
    // A refusal may come while the body is still being sent; the connection then breaks under the rest of it.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (payload === undefined) {
      req.end();
    } else if (options.chunked === true) {
      const bytes = Buffer.from(payload);
      for (let at = 0; at < bytes.length; at += 64 * 1024) req.write(bytes.subarray(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(payload);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts and assertions.
// ---------------------------------------------------------------------------------------------------------------

interface Account {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly id: string;
}

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

function newAccountForm(name: string) {
  return {
    email: `sec-${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`,
    password: `a long password ${randomUUID()}`,
    name,
  };
}

/** A fresh customer, registered through the gateway. Setup, not the attack: anything but 201 stops the test. */
async function registered(call: Call, name: string): Promise<Account> {
  const form = newAccountForm(name);
  const answer = await call('POST', '/v1/auth/register', { body: form });
  if (answer.status !== 201) throw new Error(`register: ${answer.status} ${answer.text}`);
  return { ...form, id: (answer.body as { id: string }).id };
}

/**
 * Signs in as a client would: the tests sign the one admin in at once from many places, and more password checks of
 * one account at a time than the throttle admits are 429 with Retry-After, to be tried again after it.
 */
async function loggedIn(call: Call, account: { email: string; password: string }): Promise<Tokens> {
  for (let attempt = 1; ; attempt++) {
    const answer = await call('POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    if (answer.status === 429 && attempt < 5) {
      await sleep(Number(answer.headers['retry-after'] ?? '1') * 1000);
      continue;
    }
    if (answer.status !== 200) throw new Error(`login: ${answer.status} ${answer.text}`);
    return answer.body as Tokens;
  }
}

const adminTokens = (call: Call) => loggedIn(call, ADMIN);

/** The role the admin reads for a user: the account's real role, whatever any token says. */
async function roleOf(call: Call, adminToken: string, userId: string): Promise<unknown> {
  const answer = await call('GET', `/v1/users/${userId}`, { token: adminToken });
  if (answer.status !== 200) throw new Error(`admin read of ${userId}: ${answer.status} ${answer.text}`);
  return (answer.body as { role?: unknown }).role;
}

const isProblem = (answer: Answer) =>
  /^application\/problem\+json/.test(answer.headers['content-type'] ?? '');

/** A function's refusal: the status, a problem document with the code, and the header that stops sniffing. */
function assertProblem(t: ExecutionContext, answer: Answer, status: number, code: string, label = ''): void {
  t.is(answer.status, status, `${label} status: ${answer.text}`);
  t.true(isProblem(answer), `${label} is a problem document: ${String(answer.headers['content-type'])}`);
  t.like(answer.body, { status, code }, label);
  t.is(answer.headers['x-content-type-options'], 'nosniff', `${label} nosniff`);
}

/**
 * The codes a function refuses an access token with (shared/auth/access-token-verifier.ts, session checks), and Kong's
 * jwt plugin through kong.yml's pre-function (dev/deploy/gateway-problems.ts).
 */
const TOKEN_REFUSALS = [
  'AUTH.MISSING_TOKEN',
  'AUTH.INVALID_TOKEN',
  'AUTH.TOKEN_EXPIRED',
  'AUTH.SESSION_ENDED',
];

/**
 * A refused access token: 401 from either party, a problem document with a token code, no-store and nosniff either
 * way (Kong's through kong.yml's pre-function and response-transformer).
 */
function assertTokenRefused(t: ExecutionContext, answer: Answer, label: string): void {
  t.is(answer.status, 401, `${label}: ${answer.text}`);
  t.is(answer.headers['cache-control'], 'no-store', `${label}: no-store`);
  t.is(answer.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
  t.true(isProblem(answer), `${label} is a problem document: ${String(answer.headers['content-type'])}`);
  const code = (answer.body as { code?: unknown }).code;
  t.true(TOKEN_REFUSALS.includes(String(code)), `${label}: code ${String(code)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Forged access tokens, on a signed-in route (GET /v1/users/me), an admin route (GET /v1/users), the catalogue's
//    admin route (POST /v1/products) and the order routes (GET and POST /v1/orders).
// ---------------------------------------------------------------------------------------------------------------

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Victim {
  readonly account: Account;
  /** The claims of a token for the account's live session, as the stack signs them. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Signs claims with the stack's own key: the one thing an attacker does not have. */
  readonly stackSigned: (claims: Readonly<Record<string, unknown>>) => string;
}

/**
 * A customer with a live session, and claims naming it. The control: the stack's key over these claims is taken
 * (200), so each forgery below is refused for its one defect, not because the claims were wrong anyway.
 */
async function victim(t: ExecutionContext, call: Call): Promise<Victim> {
  const account = await registered(call, 'Victim');
  const { accessToken } = await loggedIn(call, account);
  const { sid } = decode(accessToken) as { sid: string };
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: account.id,
    role: 'customer',
    iss: DEFAULT_JWT_ISSUER,
    aud: DEFAULT_JWT_AUDIENCE,
    iat: now,
    exp: now + 240,
    jti: randomUUID(),
    sid,
  };
  const { privateKeyPem } = theStack();
  const stackSigned = (signed: Readonly<Record<string, unknown>>) =>
    sign({ ...signed }, privateKeyPem, { algorithm: 'ES256' });
  const control = await call('GET', '/v1/users/me', { token: stackSigned(claims) });
  t.is(control.status, 200, `control: the stack's key over the same claims is taken: ${control.text}`);
  return { account, claims, stackSigned };
}

/** A new product's form, with a SKU of its own. */
const aProduct = (status = 'active') => ({
  sku: `SEC-${randomUUID().slice(0, 8)}`,
  name: 'Security teapot',
  price: { amount: 2500, currency: 'USD' },
  status,
});

/** An order's form (as test/integration/order-saga.test.ts places them), for one unit of a product. */
const anOrder = (productId: string) => ({
  items: [{ productId, quantity: 1 }],
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  paymentToken: 'tok_visa',
});

/**
 * Every route refuses the token with 401: signed-in, admin, the catalogue's admin write, and the order routes. The
 * bodies are valid, so nothing but the token can be the reason. Kong checks no `aud`: a token for another audience
 * reaches the functions, which must refuse it themselves.
 */
async function assertRefusedEverywhere(t: ExecutionContext, call: Call, token: string | undefined) {
  const attempts: [string, string, unknown?][] = [
    ['GET', '/v1/users/me'],
    ['GET', '/v1/users'],
    ['POST', '/v1/products', aProduct()],
    ['GET', '/v1/orders'],
    ['POST', '/v1/orders', anOrder(randomUUID())],
  ];
  for (const [method, route, body] of attempts) {
    assertTokenRefused(t, await call(method, route, { token, body }), `${method} ${route}`);
  }
}

test('no access token is 401 on signed-in, admin, catalogue-admin and order routes', async (t) => {
  const call = newClient(t);
  await assertRefusedEverywhere(t, call, undefined);
});

test('a token with alg none is 401', async (t) => {
  const call = newClient(t);
  const { claims } = await victim(t, call);
  const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, role: 'admin' })}.`;
  await assertRefusedEverywhere(t, call, unsigned);
});

test("a token HMAC-signed (HS256) with the stack's public key as the secret is 401 (key confusion)", async (t) => {
  const call = newClient(t);
  const { claims } = await victim(t, call);
  const signed = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ ...claims, role: 'admin' })}`;
  const mac = createHmac('sha256', theStack().publicKeyPem).update(signed).digest('base64url');
  await assertRefusedEverywhere(t, call, `${signed}.${mac}`);
});

test('a token signed (ES256) by a foreign P-256 key is 401', async (t) => {
  const call = newClient(t);
  const { claims } = await victim(t, call);
  const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  await assertRefusedEverywhere(t, call, sign({ ...claims, role: 'admin' }, foreign, { algorithm: 'ES256' }));
});

test('the committed development key is not trusted by npm start: a token it signs is 401', async (t) => {
  const call = newClient(t);
  const { claims } = await victim(t, call);
  // Anyone can read shared/auth/dev-keys.ts; npm start signs and checks with its data folder's own pair instead.
  const token = sign({ ...claims, role: 'admin' }, DEV_JWT_PRIVATE_KEY_PEM, { algorithm: 'ES256' });
  await assertRefusedEverywhere(t, call, token);
});

test("a valid token whose payload is changed to another user's sub is 401", async (t) => {
  const call = newClient(t);
  const { claims, stackSigned } = await victim(t, call);
  const other = await registered(call, 'Other');
  const [header, , signature] = stackSigned(claims).split('.');
  const token = `${header ?? ''}.${base64url({ ...claims, sub: other.id })}.${signature ?? ''}`;
  await assertRefusedEverywhere(t, call, token);
});

test('a valid token whose payload is changed to role admin is 401', async (t) => {
  const call = newClient(t);
  const { claims, stackSigned } = await victim(t, call);
  const [header, , signature] = stackSigned(claims).split('.');
  const token = `${header ?? ''}.${base64url({ ...claims, role: 'admin' })}.${signature ?? ''}`;
  await assertRefusedEverywhere(t, call, token);
});

test("an expired token, signed by the stack's key, is 401", async (t) => {
  const call = newClient(t);
  const { claims, stackSigned } = await victim(t, call);
  const now = Math.floor(Date.now() / 1000);
  await assertRefusedEverywhere(t, call, stackSigned({ ...claims, iat: now - 900, exp: now - 600 }));
});

test("a token for another audience, signed by the stack's key, is 401", async (t) => {
  const call = newClient(t);
  const { claims, stackSigned } = await victim(t, call);
  await assertRefusedEverywhere(t, call, stackSigned({ ...claims, aud: 'another-api' }));
});

test("a token from another issuer, signed by the stack's key, is 401", async (t) => {
  const call = newClient(t);
  const { claims, stackSigned } = await victim(t, call);
  await assertRefusedEverywhere(t, call, stackSigned({ ...claims, iss: 'another-issuer' }));
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Other people's things: every {id} route, the notification inbox, and someone else's refresh token.
// ---------------------------------------------------------------------------------------------------------------

test('a customer reading any user by id gets 403 AUTH.FORBIDDEN and nothing about the user', async (t) => {
  const call = newClient(t);
  const mallory = await registered(call, 'Mallory');
  const alice = await registered(call, 'Alice');
  const { accessToken } = await loggedIn(call, mallory);
  for (const id of [alice.id, mallory.id, randomUUID()]) {
    const answer = await call('GET', `/v1/users/${id}`, { token: accessToken });
    assertProblem(t, answer, 403, 'AUTH.FORBIDDEN', `GET /v1/users/${id}`);
    t.false(answer.text.includes(alice.email), "the answer does not carry the other user's data");
  }
  assertProblem(t, await call('GET', '/v1/users', { token: accessToken }), 403, 'AUTH.FORBIDDEN', 'list');
});

test("a customer cannot change anyone's role, another's or their own: 403 and both stay customers", async (t) => {
  const call = newClient(t);
  const mallory = await registered(call, 'Mallory');
  const alice = await registered(call, 'Alice');
  const mine = await loggedIn(call, mallory);
  for (const id of [alice.id, mallory.id]) {
    const answer = await call('PUT', `/v1/users/${id}/role`, {
      token: mine.accessToken,
      body: { role: 'admin' },
    });
    assertProblem(t, answer, 403, 'AUTH.FORBIDDEN', `PUT /v1/users/${id}/role`);
  }
  const admin = await adminTokens(call);
  t.is(await roleOf(call, admin.accessToken, alice.id), 'customer', 'the other user is unchanged');
  t.is(await roleOf(call, admin.accessToken, mallory.id), 'customer', 'the caller is unchanged');
  // A fresh token reads the role again: it must not have become admin either.
  const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: mine.refreshToken } });
  t.is(refreshed.status, 200);
  const { role } = decode((refreshed.body as Tokens).accessToken) as { role: string };
  t.is(role, 'customer');
});

test("a customer's GET /v1/notifications shows only their own inbox, whatever the query asks", async (t) => {
  const call = newClient(t);
  const alice = await registered(call, `Alice${randomUUID().slice(0, 6)}`);
  const bob = await registered(call, `Bob${randomUUID().slice(0, 6)}`);
  const aliceTokens = await loggedIn(call, alice);
  const bobTokens = await loggedIn(call, bob);
  // The welcome notifications arrive through the broker: wait for both, so there is something of Bob's to leak.
  const inbox = async (token: string, query = '') => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await call('GET', `/v1/notifications${query}`, { token });
      const total = (answer.body as { total?: number } | undefined)?.total ?? 0;
      if (answer.status !== 200 || total > 0 || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  t.like(await inbox(bobTokens.accessToken), { status: 200, body: { total: 1 } }, "Bob's welcome arrived");
  const own = await inbox(aliceTokens.accessToken);
  t.like(own, { status: 200, body: { total: 1, items: [{ title: `Welcome, ${alice.name}!` }] } });
  t.is(own.headers['cache-control'], 'no-store');
  for (const query of [`?userId=${bob.id}`, `?user=${bob.id}&stream=${bob.id}`, `?page=1&pageSize=100`]) {
    const answer = await inbox(aliceTokens.accessToken, query);
    t.false(answer.text.includes(bob.name), `${query}: nothing of Bob's`);
    if (answer.status === 200) t.like(answer.body, { total: 1 }, query);
    else assertProblem(t, answer, 400, 'REQUEST.INVALID', query);
  }
});

test("logout with someone else's refresh token does not end the other's session", async (t) => {
  const call = newClient(t);
  const mallory = await registered(call, 'Mallory');
  const alice = await registered(call, 'Alice');
  const mine = await loggedIn(call, mallory);
  const theirs = await loggedIn(call, alice);
  const out = await call('POST', '/v1/auth/logout', {
    token: mine.accessToken,
    body: { refreshToken: theirs.refreshToken },
  });
  t.is(out.status, 204, out.text);
  const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: theirs.refreshToken } });
  t.is(refreshed.status, 200, `the other's session lives: ${refreshed.text}`);
  // It did end the caller's own session, so the logout was not a no-op.
  const own = await call('POST', '/v1/auth/refresh', { body: { refreshToken: mine.refreshToken } });
  assertProblem(t, own, 401, 'AUTH.INVALID_REFRESH_TOKEN', "the caller's own session");
});

// ---------------------------------------------------------------------------------------------------------------
// 2b. Every {id} route of kong.yml, attacked by a customer who does not own the thing (or is no admin) and by a
//     caller without a token. The routes come from kong.yml itself: a new {id} route without a case fails below.
// ---------------------------------------------------------------------------------------------------------------

/** What the attacks are made on: made once for the file, through the gateway, by a client of its own. */
interface World {
  /** The victim: owns an order. */
  readonly alice: Account;
  /** The attacker: a customer like any other. */
  readonly mallory: Account;
  /** An active product with stock, and a draft one. */
  readonly productId: string;
  readonly productName: string;
  readonly draftId: string;
  readonly categoryId: string;
  readonly categoryName: string;
  /** Alice's order, placed by the first case that needs it (so only the order cases depend on placing one). */
  readonly orderId: () => Promise<string>;
}

let world: Promise<World> | undefined;

interface Named {
  readonly id: string;
  readonly name: string;
}

/** Setup, not the attack: any answer but the expected one stops the tests that need it. */
async function expectStatus(call: Call, status: number, method: string, route: string, options: CallOptions) {
  const answer = await call(method, route, options);
  if (answer.status !== status) throw new Error(`${method} ${route}: ${answer.status} ${answer.text}`);
  return answer.body;
}

async function makeWorld(): Promise<World> {
  const call = newClient();
  const admin = (await adminTokens(call)).accessToken;
  const alice = await registered(call, 'Owner');
  const mallory = await registered(call, 'Mallory');
  const created = (body: unknown) =>
    expectStatus(call, 201, 'POST', '/v1/products', { token: admin, body }) as Promise<Named>;
  const product = await created(aProduct());
  const draft = await created(aProduct('draft'));
  await expectStatus(call, 200, 'POST', `/v1/products/${product.id}/inventory/adjustments`, {
    token: admin,
    body: { delta: 5, reason: 'restock' },
  });
  const category = (await expectStatus(call, 201, 'POST', '/v1/categories', {
    token: admin,
    body: { name: `Sec ${randomUUID().slice(0, 8)}` },
  })) as Named;
  let order: Promise<string> | undefined;
  // Placing needs product-grpc, which prices the order: part of the stack like every function.
  const place = async () => {
    const { accessToken } = await loggedIn(call, alice);
    const options = { token: accessToken, body: anOrder(product.id) };
    return ((await expectStatus(call, 201, 'POST', '/v1/orders', options)) as Named).id;
  };
  return {
    alice,
    mallory,
    productId: product.id,
    productName: product.name,
    draftId: draft.id,
    categoryId: category.id,
    categoryName: category.name,
    orderId: () => (order ??= place()),
  };
}

/** One attack: the attacker's token, the victim's things, and a client for the checks. */
interface Attack {
  readonly t: ExecutionContext;
  readonly call: Call;
  readonly world: World;
  /** Mallory's access token. */
  readonly mallory: string;
}

/** An admin route: a customer is 403 AUTH.FORBIDDEN, a caller without a token 401. Nothing of the victim shows. */
async function assertAdminOnly(
  { t, call, mallory, world: w }: Attack,
  method: string,
  route: string,
  body?: unknown,
): Promise<void> {
  const asCustomer = await call(method, route, { token: mallory, body });
  assertProblem(t, asCustomer, 403, 'AUTH.FORBIDDEN', `a customer: ${method} ${route}`);
  assertTokenRefused(t, await call(method, route, { body }), `no token: ${method} ${route}`);
  t.false(asCustomer.text.includes(w.alice.email), "nothing of the victim's");
}

/** An order route of its customer's: to anyone else the order does not exist (404), as an unknown one; no token 401. */
async function assertNotTheirs({ t, call, mallory, world: w }: Attack, method: string, suffix: string) {
  const orderId = await w.orderId();
  const theirs = await call(method, `/v1/orders/${orderId}${suffix}`, { token: mallory });
  assertProblem(t, theirs, 404, 'ORDER.NOT_FOUND', `${method} another's order${suffix}`);
  const unknown = await call(method, `/v1/orders/${randomUUID()}${suffix}`, { token: mallory });
  assertProblem(t, unknown, 404, 'ORDER.NOT_FOUND', `${method} an unknown order${suffix}`);
  t.false(theirs.text.includes(w.alice.id), 'the answer says nothing of the order');
  assertTokenRefused(t, await call(method, `/v1/orders/${orderId}${suffix}`), `no token: ${method}${suffix}`);
}

/** Alice's order's status, as Alice reads it. */
async function orderStatus({ call, world: w }: Attack): Promise<string> {
  const { accessToken } = await loggedIn(call, w.alice);
  const route = `/v1/orders/${await w.orderId()}`;
  return ((await expectStatus(call, 200, 'GET', route, { token: accessToken })) as { status: string }).status;
}

/** What an admin reads at a route (200, or the test stops). */
async function adminRead({ call }: Attack, route: string): Promise<unknown> {
  const { accessToken } = await adminTokens(call);
  return expectStatus(call, 200, 'GET', route, { token: accessToken });
}

/** The attack on each {id} route, by kong.yml's method and path (`{id}` for each parameter). */
const IDOR_CASES: Readonly<Record<string, (attack: Attack) => Promise<void>>> = {
  'GET /v1/users/{id}': async (attack) => {
    await assertAdminOnly(attack, 'GET', `/v1/users/${attack.world.alice.id}`);
  },
  'PUT /v1/users/{id}/role': async (attack) => {
    const { world: w } = attack;
    await assertAdminOnly(attack, 'PUT', `/v1/users/${w.mallory.id}/role`, { role: 'admin' });
    await assertAdminOnly(attack, 'PUT', `/v1/users/${w.alice.id}/role`, { role: 'admin' });
    attack.t.like(await adminRead(attack, `/v1/users/${w.mallory.id}`), { role: 'customer' });
  },
  'DELETE /v1/users/{id}/sessions': async (attack) => {
    const { t, call, world: w } = attack;
    const alice = await loggedIn(call, w.alice);
    await assertAdminOnly(attack, 'DELETE', `/v1/users/${w.alice.id}/sessions`);
    t.is(
      (await call('GET', '/v1/users/me', { token: alice.accessToken })).status,
      200,
      "the victim's session lives",
    );
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: alice.refreshToken } });
    t.is(refreshed.status, 200, refreshed.text);
  },
  'GET /v1/orders/{id}': async (attack) => {
    await assertNotTheirs(attack, 'GET', '');
    // The control: the same route answers its customer.
    attack.t.truthy(await orderStatus(attack));
  },
  'GET /v1/orders/{id}/timeline': async (attack) => {
    await assertNotTheirs(attack, 'GET', '/timeline');
    // The control: the same route answers its customer.
    const { accessToken } = await loggedIn(attack.call, attack.world.alice);
    const route = `/v1/orders/${await attack.world.orderId()}/timeline`;
    attack.t.like(await expectStatus(attack.call, 200, 'GET', route, { token: accessToken }), {
      orderId: await attack.world.orderId(),
    });
  },
  'POST /v1/orders/{id}/cancel': async (attack) => {
    await assertNotTheirs(attack, 'POST', '/cancel');
    attack.t.false(
      ['CANCELLING', 'CANCELLED'].includes(await orderStatus(attack)),
      'the order is not cancelled',
    );
  },
  'POST /v1/orders/{id}/shipment': async (attack) => {
    const shipment = { carrier: 'DHL', trackingNumber: 'JD0001' };
    await assertAdminOnly(attack, 'POST', `/v1/orders/${await attack.world.orderId()}/shipment`, shipment);
    attack.t.false(['SHIPPED', 'DELIVERED'].includes(await orderStatus(attack)), 'the order is not shipped');
  },
  'POST /v1/orders/{id}/delivery': async (attack) => {
    await assertAdminOnly(attack, 'POST', `/v1/orders/${await attack.world.orderId()}/delivery`);
    attack.t.not(await orderStatus(attack), 'DELIVERED');
  },
  'POST /v1/dead-letters/{id}/replay': async (attack) => {
    // Refused before the letter is looked for: a customer cannot even learn whether it exists.
    await assertAdminOnly(attack, 'POST', `/v1/dead-letters/${randomUUID()}/replay`);
  },
  'GET /v1/products/{id}': async ({ t, call, mallory, world: w }) => {
    // Public, but a draft is an admin's: to anyone else it does not exist.
    for (const token of [mallory, undefined]) {
      const label = token ? 'a customer' : 'no token';
      assertProblem(
        t,
        await call('GET', `/v1/products/${w.draftId}`, { token }),
        404,
        'PRODUCT.NOT_FOUND',
        label,
      );
      t.is(
        (await call('GET', `/v1/products/${w.productId}`, { token })).status,
        200,
        `${label}: an active one`,
      );
    }
  },
  'PATCH /v1/products/{id}': async (attack) => {
    await assertAdminOnly(attack, 'PATCH', `/v1/products/${attack.world.productId}`, { name: 'Pwned' });
    attack.t.like(await adminRead(attack, `/v1/products/${attack.world.productId}`), {
      name: attack.world.productName,
    });
  },
  'DELETE /v1/products/{id}': async (attack) => {
    await assertAdminOnly(attack, 'DELETE', `/v1/products/${attack.world.productId}`);
    await adminRead(attack, `/v1/products/${attack.world.productId}`);
  },
  'GET /v1/products/{id}/inventory': async (attack) => {
    await assertAdminOnly(attack, 'GET', `/v1/products/${attack.world.productId}/inventory`);
  },
  'GET /v1/products/{id}/inventory/movements': async (attack) => {
    await assertAdminOnly(attack, 'GET', `/v1/products/${attack.world.productId}/inventory/movements`);
  },
  'POST /v1/products/{id}/inventory/adjustments': async (attack) => {
    const inventory = `/v1/products/${attack.world.productId}/inventory`;
    const before = (await adminRead(attack, inventory)) as { onHand: number };
    await assertAdminOnly(attack, 'POST', `${inventory}/adjustments`, { delta: 1000, reason: 'restock' });
    attack.t.like(await adminRead(attack, inventory), { onHand: before.onHand }, 'the stock is unchanged');
  },
  'GET /v1/categories/{id}': async ({ t, call, mallory, world: w }) => {
    // Public: every caller reads the same category, and an unknown id is 404.
    for (const token of [mallory, undefined]) {
      t.like(await call('GET', `/v1/categories/${w.categoryId}`, { token }), {
        status: 200,
        body: { id: w.categoryId, name: w.categoryName },
      });
      const unknown = await call('GET', `/v1/categories/${randomUUID()}`, { token });
      assertProblem(t, unknown, 404, 'CATEGORY.NOT_FOUND', 'an unknown category');
    }
  },
  'PATCH /v1/categories/{id}': async (attack) => {
    await assertAdminOnly(attack, 'PATCH', `/v1/categories/${attack.world.categoryId}`, { name: 'Pwned' });
    attack.t.like(await adminRead(attack, `/v1/categories/${attack.world.categoryId}`), {
      name: attack.world.categoryName,
    });
  },
  'DELETE /v1/categories/{id}': async (attack) => {
    await assertAdminOnly(attack, 'DELETE', `/v1/categories/${attack.world.categoryId}`);
    await adminRead(attack, `/v1/categories/${attack.world.categoryId}`);
  },
};

interface KongYml {
  services: { routes: { protocols: string[]; methods?: string[]; paths?: string[] }[] }[];
}

/** The HTTP routes with a path parameter that the gateway serves, from kong.yml (`~/v1/x/[^/]+$` -> `/v1/x/{id}`). */
function idRoutesOfKongYml(): string[] {
  const kong = parse(readFileSync(path.join(root, 'kong/kong.yml'), 'utf8')) as KongYml;
  const routes = kong.services
    .flatMap((service) => service.routes)
    // The HTTP routes (HTTPS only), not the gRPC ones (grpcs).
    .filter((route) => route.protocols.includes('https'))
    .flatMap((route) =>
      (route.paths ?? []).flatMap((kongPath) =>
        (route.methods ?? [])
          .filter((method) => method !== 'OPTIONS')
          .map((method) => `${method} ${kongPath.replace(/^~|\$$/g, '').replaceAll('[^/]+', '{id}')}`),
      ),
    );
  return routes.filter((route) => route.includes('{id}')).sort();
}

test('every {id} route kong.yml serves has an attack below, and every attack a route', (t) => {
  t.deepEqual(idRoutesOfKongYml(), Object.keys(IDOR_CASES).sort());
});

for (const [route, attack] of Object.entries(IDOR_CASES)) {
  test(`${route}: a customer who is not the owner or an admin, and a caller without a token, get the secure answer`, async (t) => {
    const call = newClient(t);
    world ??= makeWorld();
    const w = await world;
    const { accessToken } = await loggedIn(call, w.mallory);
    await attack({ t, call, world: w, mallory: accessToken });
  });
}

test("the order sidecar through the gateway (grpcs): a customer's GetOrder of another's order is NOT_FOUND, without a token UNAUTHENTICATED; the owner gets it", async (t) => {
  const call = newClient(t);
  world ??= makeWorld();
  const w = await world;
  const orderId = await w.orderId();
  const OrderService = (await loadProto('order.proto')).client('ecom.order.v1.OrderService');
  const client = new OrderService(
    `localhost:${String(theStack().port)}`,
    credentials.createSsl(Buffer.from(theStack().ca)),
  );
  /** GetOrder of Alice's order through the gateway, with `accessToken` if any. */
  const getOrder = (accessToken?: string) =>
    callUnary(
      client,
      OrderService,
      'GetOrder',
      { id: orderId },
      accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
    );
  try {
    const theirs = await getOrder((await loggedIn(call, w.mallory)).accessToken);
    t.is(theirs.code, status.NOT_FOUND, theirs.details);
    t.false(theirs.details.includes(w.alice.id), 'the answer says nothing of the order');
    const anonymous = await getOrder();
    t.is(anonymous.code, status.UNAUTHENTICATED, 'the gateway refuses it (jwt) before the sidecar');
    const own = await getOrder((await loggedIn(call, w.alice)).accessToken);
    t.is(own.code, status.OK, own.details);
    t.like(own.response, { id: orderId });
  } finally {
    client.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Hostile bodies.
// ---------------------------------------------------------------------------------------------------------------

/** Whether the e-mail is still free: registering it now succeeds, as a customer. */
async function assertNotCreated(t: ExecutionContext, call: Call, form: ReturnType<typeof newAccountForm>) {
  const answer = await call('POST', '/v1/auth/register', { body: form });
  t.is(answer.status, 201, `the earlier attempt created no account: ${answer.text}`);
  t.like(answer.body, { email: form.email, role: 'customer' });
}

test('a 2 MB body to POST /v1/auth/register is refused with 413, never a 5xx, and creates nothing', async (t) => {
  const call = newClient(t);
  const form = newAccountForm('Big');
  const raw = JSON.stringify({ ...form, name: 'x'.repeat(2 * 1024 * 1024) });
  const headers = { 'content-type': 'application/json' };
  // With its length declared, and chunked (the size known only by reading it).
  for (const chunked of [false, true]) {
    assertTooLarge(
      t,
      await call('POST', '/v1/auth/register', { raw, headers, chunked }),
      `chunked ${String(chunked)}`,
    );
  }
  await assertNotCreated(t, call, form);
});

test('deeply nested JSON is a 400 problem, never a 500', async (t) => {
  const call = newClient(t);
  const headers = { 'content-type': 'application/json' };
  const depth = 10_000;
  const form = newAccountForm('Deep');
  const bodies = {
    'unclosed arrays': '['.repeat(depth),
    'closed arrays': `${'['.repeat(depth)}${']'.repeat(depth)}`,
    'nested objects': `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    // A well-formed form whose name is 10 000 arrays deep.
    'nested field': `${JSON.stringify({ email: form.email, password: form.password }).slice(0, -1)},"name":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  };
  for (const [label, raw] of Object.entries(bodies)) {
    const answer = await call('POST', '/v1/auth/register', { raw, headers });
    t.true(isProblem(answer), `${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
    const code = (answer.body as { code?: unknown } | undefined)?.code;
    t.is(answer.status, 400, label);
    t.true(code === 'REQUEST.MALFORMED_JSON' || code === 'REQUEST.INVALID', `${label}: ${String(code)}`);
  }
  await assertNotCreated(t, call, form);
});

test('malformed JSON is a 400 problem REQUEST.MALFORMED_JSON', async (t) => {
  const call = newClient(t);
  const headers = { 'content-type': 'application/json' };
  const bodies = [
    '{"email":',
    "{'email': 'a@example.com'}",
    '{"email":"a@example.com"} trailing',
    '\u0000{}',
  ];
  for (const raw of bodies) {
    assertProblem(
      t,
      await call('POST', '/v1/auth/register', { raw, headers }),
      400,
      'REQUEST.MALFORMED_JSON',
      raw,
    );
  }
  assertProblem(
    t,
    await call('POST', '/v1/auth/login', { raw: '{"email"', headers }),
    400,
    'REQUEST.MALFORMED_JSON',
  );
});

test('a body of another content type is refused with a 4xx problem and creates nothing', async (t) => {
  const call = newClient(t);
  const form = newAccountForm('Typed');
  const bodies: [string, string][] = [
    ['text/plain', JSON.stringify(form)],
    ['application/x-www-form-urlencoded', new URLSearchParams(form).toString()],
    [
      'multipart/form-data; boundary=x',
      `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${form.email}\r\n--x--`,
    ],
  ];
  for (const [type, raw] of bodies) {
    const answer = await call('POST', '/v1/auth/register', { raw, headers: { 'content-type': type } });
    t.true(answer.status === 400 || answer.status === 415, `${type}: ${answer.status} ${answer.text}`);
    t.true(isProblem(answer), type);
    t.is(answer.headers['x-content-type-options'], 'nosniff', type);
  }
  await assertNotCreated(t, call, form);
});

test('registering with unknown fields (role: admin) is a 400 and creates no account, admin or not', async (t) => {
  const call = newClient(t);
  const form = newAccountForm('Sneaky');
  for (const extra of [{ role: 'admin' }, { isAdmin: true }, { id: randomUUID() }]) {
    const answer = await call('POST', '/v1/auth/register', { body: { ...form, ...extra } });
    assertProblem(t, answer, 400, 'REQUEST.INVALID', JSON.stringify(extra));
  }
  await assertNotCreated(t, call, form);
});

/** Kong's 413 or the function's, a problem REQUEST.TOO_LARGE either way, never a 5xx. */
function assertTooLarge(t: ExecutionContext, answer: Answer, label: string): void {
  t.is(answer.status, 413, `${label}: ${answer.text.slice(0, 200)}`);
  t.true(isProblem(answer), `${label} is a problem document`);
  t.like(answer.body, { status: 413, code: 'REQUEST.TOO_LARGE' }, label);
}

/** The catalogue's and the order service's writes, each with a caller allowed to write there. */
async function writers(call: Call) {
  const admin = await adminTokens(call);
  const customer = await loggedIn(call, await registered(call, 'Writer'));
  // A product that exists, so that an order's lines are valid but for the attack.
  const product = await call('POST', '/v1/products', { token: admin.accessToken, body: aProduct() });
  if (product.status !== 201) throw new Error(`create product: ${product.status} ${product.text}`);
  const productId = (product.body as { id: string }).id;
  const form = aProduct();
  return {
    /** POST /v1/products as the admin, with a form whose SKU no product has yet. */
    products: { route: '/v1/products', token: admin.accessToken, form },
    /** POST /v1/orders as a customer with no orders yet. */
    orders: { route: '/v1/orders', token: customer.accessToken, form: anOrder(productId) },
    /** Nothing was created: the SKU is still free, and the customer still has no order. */
    async assertNothingCreated(t: ExecutionContext) {
      const again = await call('POST', '/v1/products', { token: admin.accessToken, body: form });
      t.is(again.status, 201, `the attempts created no product with SKU ${form.sku}: ${again.text}`);
      const orders = await call('GET', '/v1/orders', { token: customer.accessToken });
      t.like(orders, { status: 200, body: { total: 0 } }, 'the attempts placed no order');
    },
  };
}

const JSON_HEADERS = { 'content-type': 'application/json' };

test('a 2 MB body to POST /v1/products (admin) or POST /v1/orders (customer) is 413, never a 5xx, and creates nothing', async (t) => {
  const call = newClient(t);
  const w = await writers(call);
  const big = 'x'.repeat(2 * 1024 * 1024);
  const bodies = [
    { ...w.products, raw: JSON.stringify({ ...w.products.form, name: big }) },
    { ...w.orders, raw: JSON.stringify({ ...w.orders.form, paymentToken: big }) },
  ];
  for (const { route, token, raw } of bodies) {
    for (const chunked of [false, true]) {
      const answer = await call('POST', route, { raw, token, headers: JSON_HEADERS, chunked });
      assertTooLarge(t, answer, `${route} chunked ${String(chunked)}`);
    }
  }
  await w.assertNothingCreated(t);
});

test('deeply nested JSON to POST /v1/products and POST /v1/orders is a 400 problem, never a 500, and creates nothing', async (t) => {
  const call = newClient(t);
  const w = await writers(call);
  const depth = 10_000;
  const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  /** The form with one field `depth` arrays deep. */
  const nestedField = (form: object, field: string) =>
    JSON.stringify({ ...form, [field]: 'DEEP' }).replace('"DEEP"', arrays);
  const shared = {
    'unclosed arrays': '['.repeat(depth),
    'closed arrays': arrays,
    'nested objects': `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  };
  const attempts = [
    { ...w.products, bodies: { ...shared, 'nested field': nestedField(w.products.form, 'name') } },
    { ...w.orders, bodies: { ...shared, 'nested field': nestedField(w.orders.form, 'items') } },
  ];
  for (const { route, token, bodies } of attempts) {
    for (const [label, raw] of Object.entries(bodies)) {
      const answer = await call('POST', route, { raw, token, headers: JSON_HEADERS });
      t.true(isProblem(answer), `${route} ${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
      t.is(answer.status, 400, `${route} ${label}`);
      const code = (answer.body as { code?: unknown } | undefined)?.code;
      t.true(
        code === 'REQUEST.MALFORMED_JSON' || code === 'REQUEST.INVALID',
        `${route} ${label}: ${String(code)}`,
      );
    }
  }
  await w.assertNothingCreated(t);
});

test('malformed JSON to POST /v1/products and POST /v1/orders is a 400 problem REQUEST.MALFORMED_JSON and creates nothing', async (t) => {
  const call = newClient(t);
  const w = await writers(call);
  for (const { route, token, form } of [w.products, w.orders]) {
    const valid = JSON.stringify(form);
    const bodies = [valid.slice(0, -1), valid.replaceAll('"', "'"), `${valid} trailing`, `\u0000${valid}`];
    for (const raw of bodies) {
      const answer = await call('POST', route, { raw, token, headers: JSON_HEADERS });
      assertProblem(t, answer, 400, 'REQUEST.MALFORMED_JSON', `${route} ${raw.slice(0, 40)}`);
    }
  }
  await w.assertNothingCreated(t);
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Headers.
// ---------------------------------------------------------------------------------------------------------------

test("every function's answer, success or problem, carries x-content-type-options: nosniff", async (t) => {
  const call = newClient(t);
  const json = { 'content-type': 'application/json' };
  const form = newAccountForm('Sniff');
  const register = await call('POST', '/v1/auth/register', { body: form });
  const login = await call('POST', '/v1/auth/login', {
    body: { email: form.email, password: form.password },
  });
  const tokens = login.body as Tokens;
  const admin = await adminTokens(call);
  const answers: Record<string, Answer> = {
    'register 201': register,
    'login 200': login,
    'me 200': await call('GET', '/v1/users/me', { token: tokens.accessToken }),
    'update profile 200': await call('PATCH', '/v1/users/me', {
      token: tokens.accessToken,
      body: { name: 'Sniffer' },
    }),
    'notifications 200': await call('GET', '/v1/notifications', { token: tokens.accessToken }),
    'refresh 200': await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
    'register 409': await call('POST', '/v1/auth/register', { body: form }),
    'register 400': await call('POST', '/v1/auth/register', { raw: '{', headers: json }),
    'login 401': await call('POST', '/v1/auth/login', {
      body: { email: form.email, password: 'wrong password' },
    }),
    'users 403': await call('GET', '/v1/users', { token: tokens.accessToken }),
    'unknown user 404': await call('GET', `/v1/users/${randomUUID()}`, { token: admin.accessToken }),
    'bad user id 400': await call('GET', '/v1/users/not-a-uuid', { token: admin.accessToken }),
    'bad role 400': await call('PUT', `/v1/users/${randomUUID()}/role`, {
      token: admin.accessToken,
      body: { role: 'root' },
    }),
    'users list 200': await call('GET', '/v1/users', { token: admin.accessToken }),
  };
  t.deepEqual(Object.fromEntries(Object.entries(answers).map(([label, answer]) => [label, answer.status])), {
    'register 201': 201,
    'login 200': 200,
    'me 200': 200,
    'update profile 200': 200,
    'notifications 200': 200,
    'refresh 200': 200,
    'register 409': 409,
    'register 400': 400,
    'login 401': 401,
    'users 403': 403,
    'unknown user 404': 404,
    'bad user id 400': 400,
    'bad role 400': 400,
    'users list 200': 200,
  });
  for (const [label, answer] of Object.entries(answers)) {
    t.is(answer.headers['x-content-type-options'], 'nosniff', label);
  }
  t.like(answers['unknown user 404']?.body, { code: 'USER.NOT_FOUND' });
  // An unknown route under /v1/users matches no route of kong.yml, so Kong answers it itself and no function sees
  // it: Kong's own 404 (a problem document, ROUTE.NOT_FOUND), nosniff like every answer (the client asserts it).
  for (const [method, route] of [
    ['GET', '/v1/users/me/secrets'],
    ['DELETE', '/v1/users/me'],
    ['GET', `/v1/users/${randomUUID()}/role`],
  ] as const) {
    const unknown = await call(method, route, { token: admin.accessToken });
    t.is(unknown.status, 404, `${method} ${route}`);
    t.like(unknown.body, { status: 404, code: 'ROUTE.NOT_FOUND' }, `${method} ${route}`);
  }
});

test("Kong's own answers are problem documents with nosniff too: its 404, its jwt 401 (no-store as well), its 413, its 429 and a preflight", async (t) => {
  const call = newClient(t); // asserts nosniff on every answer
  const kongAnswer = (answer: Answer, label: string) => {
    t.true(isProblem(answer), `${label}: a problem document`);
    t.is(answer.headers['x-content-type-options'], 'nosniff', label);
  };
  const noRoute = await call('GET', '/v1/no-such-route');
  kongAnswer(noRoute, 'no route');
  t.like(noRoute, { status: 404, body: { status: 404, code: 'ROUTE.NOT_FOUND' } });
  for (const [label, token] of [
    ['no token', undefined],
    ['not a token', 'not.a.token'],
  ] as const) {
    const refused = await call('GET', '/v1/orders', { token });
    kongAnswer(refused, label);
    assertTokenRefused(t, refused, `Kong's 401, ${label}`);
  }
  const big = await call('POST', '/v1/auth/register', { raw: 'x'.repeat(200 * 1024), headers: JSON_HEADERS });
  kongAnswer(big, '413');
  assertTooLarge(t, big, "Kong's 413");
  const preflight = await call('OPTIONS', '/v1/products', {
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
  });
  t.is(preflight.status, 200, 'the cors plugin answers the preflight');
  // Kong's per-IP limit on login (10 a minute), from an address of its own: past the client's guard against 429s.
  const address = newAddress();
  let limited: Answer | undefined;
  for (let n = 1; n <= 30 && limited === undefined; n++) {
    const answer = await send(address, 'POST', '/v1/auth/login', { body: {} });
    assertDocumented(t, answer, 'POST', '/v1/auth/login');
    if (answer.status === 429) limited = answer;
  }
  if (!limited) return t.fail('30 logins from one address in a row were never rate limited');
  t.like(limited.body, { status: 429, code: 'REQUEST.RATE_LIMITED' });
  t.is((limited.body as { retryAfter?: unknown }).retryAfter, Number(limited.headers['retry-after']));
  kongAnswer(limited, '429');
});

test('signed-in answers and token answers (login, refresh) are cache-control: no-store, refusals included', async (t) => {
  const call = newClient(t);
  const account = await registered(call, 'Cache');
  const login = await call('POST', '/v1/auth/login', {
    body: { email: account.email, password: account.password },
  });
  const tokens = login.body as Tokens;
  const refresh = await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  const { accessToken } = refresh.body as Tokens;
  const { claims, stackSigned } = await victim(t, call);
  const answers: Record<string, Answer> = {
    'login 200': login,
    'refresh 200': refresh,
    'me 200': await call('GET', '/v1/users/me', { token: accessToken }),
    'update profile 200': await call('PATCH', '/v1/users/me', {
      token: accessToken,
      body: { name: 'Cached' },
    }),
    'notifications 200': await call('GET', '/v1/notifications', { token: accessToken }),
    'login 401': await call('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'not it at all' },
    }),
    'login 400': await call('POST', '/v1/auth/login', { body: { email: account.email } }),
    'refresh 401': await call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
    // Refused by the function (Kong does not check aud): its 401 must be no-store too.
    'me 401 from the function': await call('GET', '/v1/users/me', {
      token: stackSigned({ ...claims, aud: 'another-api' }),
    }),
    // Refused by Kong's jwt plugin: kong.yml's pre-function makes its 401 no-store too.
    'me 401 from Kong': await call('GET', '/v1/users/me'),
    'users 403': await call('GET', '/v1/users', { token: stackSigned(claims) }),
  };
  t.like(answers, {
    'login 200': { status: 200 },
    'refresh 200': { status: 200 },
    'me 200': { status: 200 },
    'update profile 200': { status: 200 },
    'notifications 200': { status: 200 },
    'login 401': { status: 401 },
    'login 400': { status: 400 },
    // The rotated token again: reuse, which ends the family.
    'refresh 401': { status: 401 },
    'me 401 from the function': { status: 401, body: { code: 'AUTH.INVALID_TOKEN' } },
    'me 401 from Kong': { status: 401, body: { code: 'AUTH.MISSING_TOKEN' } },
    'users 403': { status: 403 },
  });
  for (const [label, answer] of Object.entries(answers))
    t.is(answer.headers['cache-control'], 'no-store', label);
});

test('an X-Request-ID that is not a plain token of 1 to 128 characters is not echoed back as is', async (t) => {
  const call = newClient(t);
  const account = await registered(call, 'Traced');
  const { accessToken } = await loggedIn(call, account);
  // The control: a plain token is kept and echoed, so the header path works and the others are judged fairly.
  const plain = `req-${randomUUID()}`;
  const kept = await call('GET', '/v1/users/me', { token: accessToken, headers: { 'x-request-id': plain } });
  t.is(kept.headers['x-request-id'], plain);
  const junk = [
    // Empty: the gateway's guard drops it too, so the correlation id is a fresh one, never an empty echo.
    '',
    'a'.repeat(200),
    'b'.repeat(129),
    '<script>alert(1)</script>',
    'has spaces in it',
    '"quoted";level=error',
  ];
  // A function's success, a function's problem, and a refusal of Kong's own (no token).
  const requests: [string, string, CallOptions][] = [
    ['GET', '/v1/users/me', { token: accessToken }],
    ['POST', '/v1/auth/register', { body: {} }],
    ['GET', '/v1/users/me', {}],
  ];
  const unsafe: string[] = [];
  for (const id of junk) {
    for (const [method, route, options] of requests) {
      const answer = await call(method, route, { ...options, headers: { 'x-request-id': id } });
      const echoed = String(answer.headers['x-request-id']);
      if (echoed === id || !/^[A-Za-z0-9._:-]{1,128}$/.test(echoed)) {
        unsafe.push(`${method} ${route} ${answer.status} echoed ${JSON.stringify(echoed)}`);
      }
    }
  }
  t.deepEqual(unsafe, [], 'each junk id is replaced by a safe one');
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Password guessing.
// ---------------------------------------------------------------------------------------------------------------

test('after six wrong passwords the account waits: 429 AUTH.TOO_MANY_ATTEMPTS with Retry-After, the right password too', async (t) => {
  // The first wait is FIRST_DELAY_MS (1 s) on the stack's real clock: only attempts answered within that second of
  // the failure that started it say anything. On a machine too busy for that, the case runs again on a fresh
  // account and client (the unit tests drive the same rule on a test clock).
  for (let round = 1; round <= 4; round++) {
    const call = newClient(t); // each round's logins counted apart by Kong's per-IP limit
    const account = await registered(call, 'Guessed');
    const attempt = (password: string) =>
      call('POST', '/v1/auth/login', { body: { email: account.email, password } });
    // FREE_FAILURES (5) are answered as plain failures, and so is the one that starts the wait.
    for (let n = 1; n <= FREE_FAILURES; n++) {
      assertProblem(t, await attempt(`wrong guess ${n}`), 401, 'AUTH.INVALID_CREDENTIALS', `guess ${n}`);
    }
    const startedWait = performance.now();
    assertProblem(t, await attempt('wrong guess 6'), 401, 'AUTH.INVALID_CREDENTIALS', 'guess 6');
    const answers = [
      ['a seventh guess', await attempt('wrong guess 7')],
      ['the right password', await attempt(account.password)],
    ] as const;
    if (performance.now() - startedWait >= FIRST_DELAY_MS) continue;
    // The function's 429 (a code, Retry-After), not Kong's per-IP limit (this client made 7 logins, under its 10).
    for (const [label, waiting] of answers) {
      assertProblem(t, waiting, 429, 'AUTH.TOO_MANY_ATTEMPTS', label);
      const retryAfter = Number(waiting.headers['retry-after']);
      t.true(Number.isInteger(retryAfter) && retryAfter >= 1, `${label}: Retry-After ${String(retryAfter)}`);
      t.like(waiting.body, { retryAfter }, label);
      t.false('accessToken' in (waiting.body as object), `${label}: no token`);
    }
    return;
  }
  t.fail('four rounds took over a second each: the machine is too busy to observe the first wait');
});

// ---------------------------------------------------------------------------------------------------------------
// 6. Logout with a rotated refresh token.
// ---------------------------------------------------------------------------------------------------------------

test('logout with an already rotated refresh token ends its live successor', async (t) => {
  const call = newClient(t);
  const account = await registered(call, 'Rotated');
  // Two sessions: the logout comes from the second, so what ends the first is the rotated token alone (the
  // caller's own session ends by its access token anyway).
  const first = await loggedIn(call, account);
  const second = await loggedIn(call, account);
  const rotated = await call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
  t.is(rotated.status, 200, rotated.text);
  const successor = rotated.body as Tokens;
  const out = await call('POST', '/v1/auth/logout', {
    token: second.accessToken,
    body: { refreshToken: first.refreshToken },
  });
  t.is(out.status, 204, out.text);
  const after = await call('POST', '/v1/auth/refresh', { body: { refreshToken: successor.refreshToken } });
  assertProblem(t, after, 401, 'AUTH.INVALID_REFRESH_TOKEN', 'the successor');
  const own = await call('POST', '/v1/auth/refresh', { body: { refreshToken: second.refreshToken } });
  assertProblem(t, own, 401, 'AUTH.INVALID_REFRESH_TOKEN', "the caller's own session");
});

// ---------------------------------------------------------------------------------------------------------------
// 7. The configured admin.
// ---------------------------------------------------------------------------------------------------------------

test('the configured admin signs in with ADMIN_PASSWORD only, and no output of npm start prints it', async (t) => {
  const call = newClient(t);
  const admin = await loggedIn(call, ADMIN);
  const me = await call('GET', '/v1/users/me', { token: admin.accessToken });
  t.like(me, { status: 200, body: { email: ADMIN.email, role: 'admin' } });
  t.is((await call('GET', '/v1/users', { token: admin.accessToken })).status, 200);
  // The dev default is no way in once ADMIN_PASSWORD is set, and nobody registers the admin's address first.
  const fallback = await call('POST', '/v1/auth/login', {
    body: { email: ADMIN.email, password: DEV_ADMIN_PASSWORD },
  });
  assertProblem(t, fallback, 401, 'AUTH.INVALID_CREDENTIALS', 'the dev default password');
  const squat = await call('POST', '/v1/auth/register', {
    body: { email: ADMIN.email.toUpperCase(), password: 'a squatter password', name: 'Admin' },
  });
  assertProblem(t, squat, 409, 'USER.EMAIL_TAKEN', "registering the admin's e-mail");
  // Everything npm start wrote so far: the banner and every function's log lines, this login's included.
  const output = theStack().output();
  t.true(output.includes('password from ADMIN_PASSWORD in your environment'), 'the banner says where it is');
  t.false(output.includes(ADMIN.password), 'the admin password is never printed');
  t.false(output.includes(admin.refreshToken), 'nor a refresh token');
  t.false(output.includes(admin.accessToken), 'nor an access token');
});

// ---------------------------------------------------------------------------------------------------------------
// 8. Sessions that end, and roles that follow the database.
// ---------------------------------------------------------------------------------------------------------------

test("logout, a password change and an admin's revocation end the session at once: its access token is 401", async (t) => {
  const call = newClient(t);
  const account = await registered(call, 'Session');
  const ended = async (token: string, label: string) => {
    const answer = await call('GET', '/v1/users/me', { token });
    assertProblem(t, answer, 401, 'AUTH.SESSION_ENDED', label);
  };

  const first = await loggedIn(call, account);
  t.is((await call('GET', '/v1/users/me', { token: first.accessToken })).status, 200);
  const out = await call('POST', '/v1/auth/logout', {
    token: first.accessToken,
    body: { refreshToken: first.refreshToken },
  });
  t.is(out.status, 204, out.text);
  await ended(first.accessToken, 'after logout');

  const second = await loggedIn(call, account);
  const newPassword = `another long password ${randomUUID()}`;
  const changed = await call('PATCH', '/v1/users/me', {
    token: second.accessToken,
    body: { password: newPassword, currentPassword: account.password },
  });
  t.is(changed.status, 200, changed.text);
  await ended(second.accessToken, 'after a password change');

  const third = await loggedIn(call, { email: account.email, password: newPassword });
  const admin = await adminTokens(call);
  const revoked = await call('DELETE', `/v1/users/${account.id}/sessions`, { token: admin.accessToken });
  t.is(revoked.status, 204, revoked.text);
  await ended(third.accessToken, "after an admin's revocation");
  const refresh = await call('POST', '/v1/auth/refresh', { body: { refreshToken: third.refreshToken } });
  assertProblem(t, refresh, 401, 'AUTH.INVALID_REFRESH_TOKEN', 'the revoked refresh token');
});

test('a demoted admin is refused on the next admin request and cannot promote an accomplice with the old token', async (t) => {
  const call = newClient(t);
  const admin = await adminTokens(call);
  const deputy = await registered(call, 'Deputy');
  const setRole = (userId: string, role: string, token: string) =>
    call('PUT', `/v1/users/${userId}/role`, { token, body: { role } });
  t.is((await setRole(deputy.id, 'admin', admin.accessToken)).status, 200);
  const deputyTokens = await loggedIn(call, deputy);
  t.is((await call('GET', '/v1/users', { token: deputyTokens.accessToken })).status, 200);

  t.is((await setRole(deputy.id, 'customer', admin.accessToken)).status, 200);
  const list = await call('GET', '/v1/users', { token: deputyTokens.accessToken });
  assertProblem(t, list, 403, 'AUTH.FORBIDDEN', 'the next admin request');
  const accomplice = await registered(call, 'Accomplice');
  const promote = await setRole(accomplice.id, 'admin', deputyTokens.accessToken);
  assertProblem(t, promote, 403, 'AUTH.FORBIDDEN', 'promoting an accomplice');
  t.is(await roleOf(call, admin.accessToken, accomplice.id), 'customer');
});

// ---------------------------------------------------------------------------------------------------------------
// 9. Names are plain text.
// ---------------------------------------------------------------------------------------------------------------

test('a name with line breaks or direction overrides is refused: it would forge lines of the mail it appears in', async (t) => {
  const call = newClient(t);
  for (const name of ['Ada\r\n\r\nYour order was cancelled, see http://evil.example', 'Ada \u202Egnp.exe']) {
    const answer = await call('POST', '/v1/auth/register', { body: { ...newAccountForm('Plain'), name } });
    assertProblem(t, answer, 400, 'REQUEST.INVALID', JSON.stringify(name));
  }
});

// ---------------------------------------------------------------------------------------------------------------
// 10. The catalogue: public reads without a token, admin writes, drafts for admins only.
// ---------------------------------------------------------------------------------------------------------------

test('the catalogue through the gateway: anyone reads it without a token, only an admin writes, drafts stay hidden', async (t) => {
  const call = newClient(t);
  const admin = await adminTokens(call);
  const customer = await loggedIn(call, await registered(call, 'Shopper'));
  const word = `gw${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const product = (status: string) => ({
    sku: `GW-${randomUUID().slice(0, 8)}`,
    name: `Teapot ${word}`,
    price: { amount: 2500, currency: 'USD' },
    status,
  });

  const anonymousWrite = await call('POST', '/v1/products', { body: product('active') });
  assertTokenRefused(t, anonymousWrite, 'no token');
  const customerWrite = await call('POST', '/v1/products', {
    token: customer.accessToken,
    body: product('active'),
  });
  assertProblem(t, customerWrite, 403, 'AUTH.FORBIDDEN', 'a customer');
  const active = await call('POST', '/v1/products', { token: admin.accessToken, body: product('active') });
  t.is(active.status, 201, active.text);
  const draft = await call('POST', '/v1/products', { token: admin.accessToken, body: product('draft') });
  t.is(draft.status, 201, draft.text);
  const [activeId, draftId] = [active, draft].map((answer) => (answer.body as { id: string }).id);

  const listed = await call('GET', `/v1/products?q=${word}`);
  t.is(listed.status, 200, listed.text);
  t.deepEqual(
    (listed.body as { items: { id: string }[] }).items.map((item) => item.id),
    [activeId],
  );
  t.is(listed.headers['cache-control'], 'public, max-age=30');
  t.is(listed.headers.vary, 'Authorization');
  // The gateway keeps an anonymous answer (kong.yml's proxy-cache) and gives it again without asking the function.
  t.is(listed.headers['x-cache-status'], 'Miss');
  const again = await call('GET', `/v1/products?q=${word}`);
  t.is(again.headers['x-cache-status'], 'Hit');
  t.is(again.text, listed.text);
  const etag = String(listed.headers.etag);
  t.is(again.headers.etag, etag);
  // A revalidation still reaches the function, which answers 304 (Kong's cache knows nothing of If-None-Match).
  const revalidated = await call('GET', `/v1/products?q=${word}`, { headers: { 'if-none-match': etag } });
  t.is(revalidated.status, 304);
  t.not(revalidated.headers['x-cache-status'], 'Hit');
  // A token's answer is the caller's own: never served from, nor kept in, the shared cache.
  const asCustomer = await call('GET', `/v1/products?q=${word}`, { token: customer.accessToken });
  t.is(asCustomer.status, 200);
  t.is(asCustomer.headers['cache-control'], 'no-store');
  t.is(asCustomer.headers['x-cache-status'], 'Bypass');
  assertProblem(t, await call('GET', `/v1/products/${String(draftId)}`), 404, 'PRODUCT.NOT_FOUND', 'a draft');
  assertProblem(t, await call('GET', `/v1/products?status=draft`), 403, 'AUTH.FORBIDDEN', 'drafts listed');
  const asAdmin = await call('GET', `/v1/products/${String(draftId)}`, { token: admin.accessToken });
  t.is(asAdmin.status, 200);
  t.is(asAdmin.headers['cache-control'], 'no-store');
  assertTokenRefused(
    t,
    await call('GET', '/v1/products', { token: 'forged.token.here' }),
    'a bad token on a read',
  );
});
