import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { DEV_JWT_PUBLIC_KEY_PEM } from '../../shared/auth/dev-keys';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { startDevGateway, type DevGateway } from '../../dev/gateway/dev-gateway';
import { KongConfigError, parseKongConfig } from '../../dev/gateway/kong-config';

// The shape the kong.yml generator emits, plus a prefix route, a service with no running function and one whose
// function is down. Limits are small so the tests stay small: 3 logins a minute, 1 KB bodies. The jwt plugin keeps
// Kong's defaults for where tokens come from (uri_param_names [jwt], so ?jwt= is read), which kong/kong.yml does
// not: the committed kong.yml itself is served in gateway-kong-yml.test.ts. Its routes allow plain HTTP (Kong's
// default protocols), so most tests call the gateway's HTTP port; the routes' protocols are tested at the end.
const KONG_YML = `
_format_version: "3.0"
services:
  - name: login
    url: http://login.ecom.svc.cluster.local
    routes:
      - name: login
        methods: [POST]
        paths: ["~/v1/auth/login$"]
        strip_path: false
        plugins:
          - name: rate-limiting
            config: { minute: 3, policy: local, limit_by: ip }
  - name: register
    url: http://register.ecom.svc.cluster.local
    routes:
      - name: register
        methods: [POST]
        paths: ["~/v1/auth/register$"]
        strip_path: false
  - name: user-query
    url: http://user-query.ecom.svc.cluster.local
    routes:
      - name: user-query
        methods: [GET, OPTIONS]
        paths: ["~/v1/users/me$", "~/v1/users$", "~/v1/users/[^/]+$"]
        strip_path: false
        plugins:
          - name: jwt
            config: { key_claim_name: iss, claims_to_verify: [exp], run_on_preflight: false }
  - name: legacy-users
    url: http://legacy.ecom.svc.cluster.local/legacy
    routes:
      - name: legacy-users
        methods: [GET]
        paths: ["/v1/users"]
  - name: down
    url: http://down.ecom.svc.cluster.local
    routes:
      - { name: down, methods: [GET], paths: ["/v1/down"], strip_path: false }
  - name: unmapped
    url: http://unmapped.ecom.svc.cluster.local
    routes:
      - { name: unmapped, methods: [GET], paths: ["/v1/unmapped"], strip_path: false }
  - name: user-grpc
    url: grpc://user-grpc.ecom.svc.cluster.local:80
    protocol: grpc
    routes:
      - name: user-grpc
        protocols: [grpc]
        paths: ["/ecom.user.v1.UserService/"]
consumers:
  - username: ecom-issuer
    jwt_secrets:
      - key: ecom-issuer
        algorithm: ES256
        rsa_public_key: ${JSON.stringify(DEV_JWT_PUBLIC_KEY_PEM)}
plugins:
  - name: request-size-limiting
    config: { allowed_payload_size: 1, size_unit: kilobytes }
  - name: correlation-id
    config: { header_name: X-Request-ID, generator: uuid, echo_downstream: true }
  - name: cors
    config:
      origins: ["*"]
      methods: [GET, POST, PUT, PATCH, DELETE, OPTIONS]
      headers: [Authorization, Content-Type, X-Request-ID]
      exposed_headers: [X-Request-ID]
      max_age: 3600
`;

/** What an upstream saw of one request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A function stand-in: records each request and answers it as JSON. */
async function startUpstream(name: string) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-upstream': name,
        'proxy-authenticate': 'Basic',
      });
      res.end(JSON.stringify({ service: name, url: entry.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, server, seen, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const signer = loadConfig(AccessTokenSignerEnv, {});
const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const user = { userId: 'u-1', role: 'customer', sessionId: '00000000-0000-4000-8000-00000000005e' } as const;
// Mid-minute, frozen: a rate-limit window cannot roll over under the test.
const NOW = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;

let gateway: DevGateway;
const upstreams = new Map<string, Awaited<ReturnType<typeof startUpstream>>>();
let downPort: number;

test.before(async () => {
  for (const name of ['login', 'register', 'user-query', 'legacy-users'])
    upstreams.set(name, await startUpstream(name));
  downPort = await closedPort();
  gateway = await startDevGateway({
    kongConfig: parseKongConfig(KONG_YML, 'inline'),
    upstreams: (service) =>
      service === 'down' ? new URL(`http://127.0.0.1:${downPort}`) : upstreams.get(service)?.url,
    port: 0,
    httpsPort: 0,
    now: () => NOW,
  });
});

test.after.always(async () => {
  await gateway.close();
  for (const { server } of upstreams.values()) server.close();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.httpUrl}${path}`, init);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const seenBy = (service: string, marker: string) =>
  upstreams.get(service)?.seen.filter((entry) => entry.headers['x-test'] === marker) ?? [];

/** A POST through node:http, so the body can be sent chunked (no Content-Length) or after 100 Continue. */
function rawPost(path: string, chunks: readonly Buffer[], headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${gateway.httpUrl}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    const send = () => {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    };
    if (headers['expect'] === undefined) send();
    else req.on('continue', send);
  });
}

test('routes by method and regex path; the upstream sees the original path and query', async (t) => {
  const token = signAccessToken(user, signer).token;
  for (const path of ['/v1/users/me', '/v1/users?page=2&pageSize=5', '/v1/users/u-42']) {
    const response = await call(path, { headers: bearer(token) });
    t.is(response.status, 200, path);
    t.deepEqual(await response.json(), { service: 'user-query', url: path });
  }
});

test('a regex route ranks before a prefix route; a prefix route strips its path by default', async (t) => {
  const response = await call('/v1/users/u-42/orders?x=1');
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { service: 'legacy-users', url: '/legacy/u-42/orders?x=1' });
});

test('an unknown path or method is Kong 404', async (t) => {
  for (const [method, path] of [
    ['GET', '/v1/nothing'],
    ['DELETE', '/v1/users/me'],
    ['GET', '/v1/auth/login'],
  ] as const) {
    const response = await call(path, { method });
    t.is(response.status, 404, `${method} ${path}`);
    t.deepEqual(await response.json(), { message: 'no Route matched with those values' });
  }
});

test('the upstream gets X-Forwarded-*, its own Host, and no hop-by-hop headers', async (t) => {
  const marker = randomUUID();
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const headers = {
      'x-test': marker,
      connection: 'keep-alive, x-hop',
      'x-hop': 'secret',
      'content-length': '2',
    };
    const req = request(`${gateway.httpUrl}/v1/auth/register`, { method: 'POST', headers }, (res) => {
      res.resume().on('end', () => {
        resolve(res);
      });
    });
    req.on('error', reject).end('{}');
  });
  t.is(response.statusCode, 200);
  t.is(response.headers['x-upstream'], 'register');
  t.is(response.headers['proxy-authenticate'], undefined, 'hop-by-hop on the way back too');
  const [seen] = seenBy('register', marker);
  t.is(seen?.headers['x-hop'], undefined);
  t.is(seen?.headers['x-forwarded-for'], '127.0.0.1');
  t.is(seen?.headers['x-forwarded-proto'], 'http');
  t.is(seen?.headers['x-forwarded-host'], '127.0.0.1');
  t.is(seen?.headers['x-forwarded-port'], String(gateway.httpPort));
  t.is(seen?.headers.host, upstreams.get('register')?.url.host);
  t.is(seen?.body, '{}');
});

test('jwt: no token, a foreign signature, an unknown issuer and an expired token are 401', async (t) => {
  const foreign = signAccessToken(user, { ...signer, JWT_PRIVATE_KEY: foreignKey }).token;
  const stranger = signAccessToken(user, { ...signer, JWT_ISSUER: 'stranger' }).token;
  const expired = signAccessToken(user, signer, { now: new Date(NOW - 3_600_000) }).token;
  const cases: [Record<string, string>, unknown][] = [
    [{}, { message: 'Unauthorized' }],
    [bearer('not-a-jwt'), { message: 'Bad token; invalid JSON' }],
    [bearer(foreign), { message: 'Invalid signature' }],
    [bearer(stranger), { message: "No credentials found for given 'iss'" }],
    [bearer(expired), { exp: 'token expired' }],
  ];
  for (const [headers, body] of cases) {
    const response = await call('/v1/users/me', { headers: { ...headers, 'x-test': 'jwt-refused' } });
    t.is(response.status, 401);
    t.deepEqual(await response.json(), body);
    // Kong 3.8+: a bare challenge when no token came, invalid_token when one was refused.
    const challenge = headers['authorization'] === undefined ? 'Bearer' : 'Bearer error="invalid_token"';
    t.is(response.headers.get('www-authenticate'), challenge);
  }
  // A request that passes, sent last: once it is answered, whatever the gateway forwarded has arrived.
  const fence = await call('/v1/users/me', {
    headers: {
      ...bearer(signAccessToken(user, signer, { now: new Date(NOW) }).token),
      'x-test': 'jwt-refused',
    },
  });
  t.is(fence.status, 200);
  t.is(seenBy('user-query', 'jwt-refused').length, 1, 'only the last one reached the function');
});

test('jwt: a valid token passes unchanged, with the consumer headers (spoofed ones replaced)', async (t) => {
  const { token } = signAccessToken(user, signer);
  const marker = randomUUID();
  const headers = {
    ...bearer(token),
    'x-test': marker,
    'x-consumer-username': 'admin',
    'x-consumer-id': 'forged',
  };
  t.is((await call('/v1/users/me', { headers })).status, 200);
  const [viaHeader, ...more] = seenBy('user-query', marker);
  t.deepEqual(more, []);
  t.is(viaHeader?.headers.authorization, `Bearer ${token}`);
  t.is(viaHeader?.headers['x-consumer-username'], 'ecom-issuer');
  t.is(viaHeader?.headers['x-credential-identifier'], 'ecom-issuer');
  t.is(viaHeader?.headers['x-consumer-id'], undefined);
});

test("jwt on Kong's default uri_param_names (not kong.yml's): ?jwt= is read, the same token twice is one, a different one beside the header is 401 Multiple tokens provided", async (t) => {
  const { token } = signAccessToken(user, signer);
  const other = signAccessToken(
    { userId: 'u-2', role: 'customer', sessionId: '00000000-0000-4000-8000-00000000005e' },
    signer,
  ).token;
  const marker = randomUUID();
  const viaQuery = await call(`/v1/users/me?jwt=${token}`, { headers: { 'x-test': marker } });
  t.is(viaQuery.status, 200);
  const twice = await call(`/v1/users/me?jwt=${token}`, { headers: { ...bearer(token), 'x-test': marker } });
  t.is(twice.status, 200);
  const multiple = await call(`/v1/users/me?jwt=${other}`, {
    headers: { ...bearer(token), 'x-test': marker },
  });
  t.is(multiple.status, 401);
  t.deepEqual(await multiple.json(), { message: 'Multiple tokens provided' });
  t.is(multiple.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
  // A request that passes, sent last: once it is answered, whatever the gateway forwarded has arrived.
  t.is((await call('/v1/users/me', { headers: { ...bearer(token), 'x-test': marker } })).status, 200);
  t.deepEqual(
    seenBy('user-query', marker).map((entry) => entry.url),
    [`/v1/users/me?jwt=${token}`, `/v1/users/me?jwt=${token}`, '/v1/users/me'],
  );
});

test('rate limiting: the 4th login in the minute is 429 with Kong headers; other routes are not counted', async (t) => {
  const login = () => call('/v1/auth/login', { method: 'POST', body: '{}', headers: { 'x-test': 'rate' } });
  for (const remaining of [2, 1, 0]) {
    const response = await login();
    t.is(response.status, 200);
    t.is(response.headers.get('x-ratelimit-limit-minute'), '3');
    t.is(response.headers.get('x-ratelimit-remaining-minute'), String(remaining));
    t.is(response.headers.get('ratelimit-remaining'), String(remaining));
    t.is(response.headers.get('ratelimit-reset'), '30');
  }
  const refused = await login();
  t.is(refused.status, 429);
  t.deepEqual(await refused.json(), { message: 'API rate limit exceeded' });
  t.is(refused.headers.get('retry-after'), '30');
  t.is(refused.headers.get('ratelimit-limit'), '3');
  t.is(refused.headers.get('ratelimit-remaining'), '0');
  t.is(refused.headers.get('x-ratelimit-remaining-minute'), '0');
  t.is(refused.headers.get('x-request-id')?.length, 36, 'the exit still carries the correlation id');
  t.is(seenBy('login', 'rate').length, 3);
  const other = await call('/v1/auth/register', { method: 'POST', body: '{}' });
  t.is(other.status, 200);
  t.is(other.headers.get('x-ratelimit-limit-minute'), null);
});

test('size limit: a declared or chunked body over the limit is 413 and never reaches the upstream', async (t) => {
  const marker = randomUUID();
  const declared = await call('/v1/auth/register', {
    method: 'POST',
    body: 'x'.repeat(1025),
    headers: { 'x-test': marker },
  });
  t.is(declared.status, 413);
  t.deepEqual(await declared.json(), { message: 'Request size limit exceeded' });
  const chunks = Array.from({ length: 8 }, () => Buffer.alloc(200, 'y'));
  const chunked = await rawPost('/v1/auth/register', chunks, {
    'x-test': marker,
    'transfer-encoding': 'chunked',
  });
  t.is(chunked.status, 413);
  t.deepEqual(JSON.parse(chunked.body), { message: 'Request size limit exceeded' });
  const waiting = await rawPost('/v1/auth/register', [Buffer.alloc(2048)], {
    'x-test': marker,
    'content-length': '2048',
    expect: '100-continue',
  });
  t.is(waiting.status, 417, 'a client waiting for 100 Continue is refused before it sends');
  t.is(seenBy('register', marker).length, 0);
});

/**
 * Sends `Content-Length: size` and the body's first bytes on a raw connection, waits for the gateway's answer, then
 * sends the rest: what a client busy uploading does when the refusal comes mid-body. Resolves with the answer and
 * how the connection ended.
 */
function uploadPastAnEarlyAnswer(path: string, size: number) {
  const { hostname, port } = new URL(gateway.httpUrl);
  return new Promise<{ answer: string; ended: string }>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = '';
    let rest = size - 1024;
    const sendTheRest = () => {
      while (rest > 0) {
        const chunk = Buffer.alloc(Math.min(64 * 1024, rest), 'z');
        rest -= chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', sendTheRest);
          return;
        }
      }
      socket.end();
    };
    socket.on('data', (chunk: Buffer) => {
      const first = answer === '';
      answer += chunk.toString();
      if (first) sendTheRest();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ answer, ended: error.code ?? error.message });
    });
    socket.on('close', () => {
      resolve({ answer, ended: rest === 0 ? 'closed after the whole body' : 'closed mid-body' });
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: ${String(size)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(Buffer.alloc(1024, 'z'));
  });
}

test('size limit: after an early 413 the gateway reads the rest of the body before closing, so the client keeps its answer', async (t) => {
  // Closing at once would reset the connection under the client's writes: EPIPE, and a client may lose the 413.
  const { answer, ended } = await uploadPastAnEarlyAnswer('/v1/auth/register', 4 * 1024 * 1024);
  t.regex(answer, /^HTTP\/1\.1 413 /);
  t.is(ended, 'closed after the whole body');
});

/** Polls `condition` every 10 ms for up to 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out');
    await sleep(10);
  }
}

test('size limit: once the refused body is read, the kept-alive connection serves the next request', async (t) => {
  // The linger cut is for a client that never finishes its body; one that did may send its next request on the
  // same connection, long after the cut would have fired (the fuzz test lost answers so, 30 s on).
  const lingering = await startDevGateway({
    kongConfig: parseKongConfig(KONG_YML, 'inline'),
    upstreams: (service) => upstreams.get(service)?.url,
    port: 0,
    httpsPort: 0,
    now: () => NOW,
    // Long enough for a loaded CI machine to read the body, short enough to wait out.
    lingerMs: 1_500,
  });
  t.teardown(() => lingering.close());
  const { hostname, port } = new URL(lingering.httpUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  t.teardown(() => socket.destroy());
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  // A reset before the end is this test's failure (asserted below); one as the gateway closes after it is not.
  let failed: Error | undefined;
  socket.on('error', (error) => {
    failed ??= error;
  });
  // Over the 100 KiB limit: answered 413 before the body is read.
  const size = 256 * 1024;
  socket.write(
    `POST /v1/auth/register HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: ${String(size)}\r\n\r\n`,
  );
  await until(() => received.startsWith('HTTP/1.1 413 '));
  await new Promise<void>((resolve) => {
    socket.write(Buffer.alloc(size, 'z'), () => {
      resolve();
    });
  });
  await sleep(2_500);
  t.false(socket.destroyed, 'the connection is still open after the linger time');
  received = '';
  socket.write(
    'POST /v1/auth/register HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
  );
  await until(() => /^HTTP\/1\.1 200 /.test(received));
  t.is(failed, undefined);
});

test('size limit: a chunked body within the limit is forwarded whole', async (t) => {
  const marker = randomUUID();
  const chunks = [Buffer.from('{"a":'), Buffer.from('"b"}')];
  const response = await rawPost('/v1/auth/register', chunks, {
    'x-test': marker,
    'transfer-encoding': 'chunked',
  });
  t.is(response.status, 200);
  t.is(seenBy('register', marker)[0]?.body, '{"a":"b"}');
});

test('correlation id: generated when absent, passed upstream and echoed; an incoming one is kept', async (t) => {
  const marker = randomUUID();
  const generated = await call('/v1/auth/register', {
    method: 'POST',
    body: '{}',
    headers: { 'x-test': marker },
  });
  const id = generated.headers.get('x-request-id') ?? '';
  t.regex(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const kept = await call('/v1/auth/register', {
    method: 'POST',
    body: '{}',
    headers: { 'x-test': marker, 'x-request-id': 'client-chosen-1' },
  });
  t.is(kept.headers.get('x-request-id'), 'client-chosen-1');
  t.deepEqual(
    seenBy('register', marker).map((entry) => entry.headers['x-request-id']),
    [id, 'client-chosen-1'],
  );
});

test('cors: the gateway answers a preflight itself; responses carry the CORS headers', async (t) => {
  const preflight = await call('/v1/users/me', {
    method: 'OPTIONS',
    headers: { origin: 'http://shop.local', 'access-control-request-method': 'GET', 'x-test': 'preflight' },
  });
  t.is(preflight.status, 200, 'Kong answers preflights with 200');
  t.is(preflight.headers.get('access-control-allow-origin'), '*');
  t.is(preflight.headers.get('access-control-allow-methods'), 'GET,POST,PUT,PATCH,DELETE,OPTIONS');
  t.is(preflight.headers.get('access-control-allow-headers'), 'Authorization,Content-Type,X-Request-ID');
  t.is(preflight.headers.get('access-control-max-age'), '3600');
  t.is(seenBy('user-query', 'preflight').length, 0);
  const noOptions = await call('/v1/auth/login', {
    method: 'OPTIONS',
    headers: { origin: 'http://shop.local', 'access-control-request-method': 'POST' },
  });
  t.is(noOptions.status, 404, 'as in Kong, a route must list OPTIONS for its preflights');
  const normal = await call('/v1/auth/register', {
    method: 'POST',
    body: '{}',
    headers: { origin: 'http://shop.local' },
  });
  t.is(normal.headers.get('access-control-allow-origin'), '*');
  t.is(normal.headers.get('access-control-expose-headers'), 'X-Request-ID');
  const refused = await call('/v1/users/me', { headers: { origin: 'http://shop.local' } });
  t.is(refused.status, 401);
  t.is(refused.headers.get('access-control-allow-origin'), '*', 'a refusal is readable by the browser too');
});

test('an upstream that is down is 502; a service with no upstream is 503', async (t) => {
  const down = await call('/v1/down');
  t.is(down.status, 502);
  t.deepEqual(await down.json(), { message: 'An invalid response was received from the upstream server' });
  const unmapped = await call('/v1/unmapped');
  t.is(unmapped.status, 503);
});

test('gRPC routes are listed, and an HTTP/1.1 request on their path matches no route (Kong routes by protocol too)', async (t) => {
  t.deepEqual(gateway.grpcRoutes, [
    { service: 'user-grpc', route: 'user-grpc', paths: ['/ecom.user.v1.UserService/'] },
  ]);
  t.is((await call('/ecom.user.v1.UserService/GetUser', { method: 'POST' })).status, 404);
});

test('a taken port is an error naming it', async (t) => {
  const error = await t.throwsAsync(
    startDevGateway({
      kongConfig: parseKongConfig(KONG_YML),
      upstreams: () => undefined,
      port: 0,
      httpsPort: gateway.port,
    }),
  );
  t.regex(error.message, new RegExp(`port ${gateway.port}.*already in use`));
});

test('kong.yml with what the dev gateway cannot serve is refused with the place named', (t) => {
  const base = '_format_version: "3.0"\nservices:\n  - name: s\n    url: http://s\n    routes:\n';
  const unknownPlugin = `${base}      - name: r\n        paths: [/x]\n        plugins: [{ name: acl, config: {} }]\n`;
  t.regex(
    t.throws(() => parseKongConfig(unknownPlugin), { instanceOf: KongConfigError }).message,
    /services\.0\.routes\.0\.plugins\.0\.name: plugin "acl" is not implemented/,
  );
  const byHost = `${base}      - name: r\n        hosts: [shop.local]\n        paths: [/x]\n`;
  t.regex(
    t.throws(() => parseKongConfig(byHost), { instanceOf: KongConfigError }).message,
    /services\.0\.routes\.0\.hosts: routing by hosts is not supported/,
  );
  t.throws(() => parseKongConfig('_format_version: "2.1"\n'), { message: /_format_version: must be "3\.0"/ });
});

// ---- route protocols: HTTPS-only routes and their redirect, as Kong's runloop answers them ------------------

const PROTOCOLS_YML = `
_format_version: "3.0"
services:
  - name: register
    url: http://register.ecom.svc.cluster.local
    routes:
      - name: secure
        methods: [POST]
        paths: ["~/v1/secure$"]
        strip_path: false
        protocols: [https]
        https_redirect_status_code: 308
        plugins:
          - name: jwt
            config: { key_claim_name: iss, claims_to_verify: [exp] }
      - name: upgrade
        methods: [GET]
        paths: ["~/v1/upgrade$"]
        strip_path: false
        protocols: [https]
      - name: open
        methods: [GET]
        paths: ["~/v1/open$"]
        strip_path: false
        protocols: [http]
consumers:
  - username: ecom-issuer
    jwt_secrets:
      - key: ecom-issuer
        algorithm: ES256
        rsa_public_key: ${JSON.stringify(DEV_JWT_PUBLIC_KEY_PEM)}
plugins:
  - name: correlation-id
    config: { header_name: X-Request-ID, generator: uuid, echo_downstream: true }
`;

/** A gateway on PROTOCOLS_YML, closed after the test. */
async function protocolsGateway(t: ExecutionContext): Promise<DevGateway> {
  const started = await startDevGateway({
    kongConfig: parseKongConfig(PROTOCOLS_YML, 'protocols'),
    upstreams: (service) => upstreams.get(service)?.url,
    port: 0,
    httpsPort: 0,
    now: () => NOW,
  });
  t.teardown(() => started.close());
  return started;
}

test('a plain-HTTP request to an HTTPS-only route is redirected with its path and query, before any plugin, and never proxied', async (t) => {
  const secure = await protocolsGateway(t);
  const marker = randomUUID();
  const response = await fetch(`${secure.httpUrl}/v1/secure?a=1&b=two`, {
    method: 'POST',
    headers: { 'x-test': marker, 'content-type': 'application/json' },
    body: '{}',
    redirect: 'manual',
  });
  // 308, not the jwt plugin's 401: the protocol is checked before the route's plugins run.
  t.is(response.status, 308);
  t.is(response.headers.get('location'), `https://127.0.0.1:${String(secure.port)}/v1/secure?a=1&b=two`);
  t.is(await response.text(), '');
  t.is(seenBy('register', marker).length, 0, 'the function never sees it');
  // The redirect names the host the client asked for, with the gateway's HTTPS port.
  const named = await rawGet(secure.httpPort, '/v1/secure', { host: 'localhost:1234' }, 'POST');
  t.is(named.status, 308);
  t.is(named.headers.location, `https://localhost:${String(secure.port)}/v1/secure`);
});

test('the same request over HTTPS is served, and the function learns it came over HTTPS', async (t) => {
  const secure = await protocolsGateway(t);
  const marker = randomUUID();
  const response = await secure.fetch(`${secure.url}/v1/secure`, {
    method: 'POST',
    headers: { 'x-test': marker, ...bearer(signAccessToken(user, signer).token) },
    body: '{}',
  });
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { service: 'register', url: '/v1/secure' });
  const [seen] = seenBy('register', marker);
  t.is(seen?.headers['x-forwarded-proto'], 'https');
  t.is(seen?.headers['x-forwarded-port'], String(secure.port));
  // Without the gateway's certificate, a client refuses the connection: it is TLS with a certificate of its own.
  await t.throwsAsync(fetch(`${secure.url}/v1/secure`, { method: 'POST' }));
});

test("an HTTPS-only route without a redirect code answers Kong's 426", async (t) => {
  const secure = await protocolsGateway(t);
  const response = await fetch(`${secure.httpUrl}/v1/upgrade`);
  t.is(response.status, 426);
  t.deepEqual(await response.json(), { message: 'Please use HTTPS protocol' });
  t.is(response.headers.get('upgrade'), 'TLS/1.2, HTTP/1.1');
});

test('a route that allows HTTP is served over plain HTTP (and, as Kong does, over HTTPS too)', async (t) => {
  const secure = await protocolsGateway(t);
  const plain = await fetch(`${secure.httpUrl}/v1/open`);
  t.is(plain.status, 200);
  t.deepEqual(await plain.json(), { service: 'register', url: '/v1/open' });
  t.is((await secure.fetch(`${secure.url}/v1/open`)).status, 200);
});

/** A request through node:http with a Host header of the test's choosing (fetch does not let one be set). */
function rawGet(port: number, path: string, headers: Record<string, string>, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      res.resume().on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
    });
    req.on('error', reject).end();
  });
}
