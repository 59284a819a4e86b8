// The product as a user meets it: every function from its bundle in its own process, behind the dev gateway
// (kong/kong.yml) and the dev broker (the Triggers of knative/), on the embedded default and on real MariaDB,
// Kafka and Cassandra. The API is called through the client typed from docs/openapi.yaml, each answer checked
// against it.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import { apiClient, type ApiClient } from '../support/api/api-client';
import { startInfraStack } from '../support/infra-stack';
import { scaledSleep } from '../support/scaled-sleep';
import { buildFunctions } from '../../dev/build';
import { freePort } from '../../dev/local-stack/free-port';
import { jwtKeyFiles } from '../../dev/local-stack/jwt-key-pair';
import { gatewayCertificateFiles } from '../../dev/gateway/gateway-certificate';
import { trustingFetch, type TrustingFetch } from '../../dev/gateway/trusting-fetch';
import { startLocalStack } from '../../dev/local-stack/local-stack';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { createLogger } from '../../shared/log/logger';

const logger = createLogger('e2e', { level: 'silent' });
const root = path.resolve(__dirname, '../..');

test.before(async () => {
  await buildFunctions();
});

/** The Authorization header of a signed-in caller. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An answer as the assertions compare it: the status, and the body (the data, or the error answered instead). */
const seen = ({ response, data, error }: { response: Response; data?: unknown; error?: unknown }) => ({
  status: response.status,
  body: data ?? error,
});

/** register -> login -> me -> refresh -> logout, through the gateway. Returns the account and its last tokens. */
async function userFlow(t: ExecutionContext, api: ApiClient) {
  const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'an end-to-end password';
  const registered = await api.POST('/v1/auth/register', { body: { email, password, name: 'Eve' } });
  t.is(registered.response.status, 201);
  t.truthy(registered.response.headers.get('x-request-id'), 'correlation id echoed');
  const login = await api.POST('/v1/auth/login', { body: { email, password } });
  t.is(login.response.status, 200);
  if (!login.data) throw new Error(`login: ${String(login.response.status)} ${JSON.stringify(login.error)}`);
  const tokens = login.data;
  const me = seen(await api.GET('/v1/users/me', { headers: bearer(tokens.accessToken) }));
  // The answer in full when it differs: a 401 here once came without saying who refused it (gateway or function).
  t.like(me, { status: 200, body: { email, role: 'customer' } }, JSON.stringify(me.body));
  const refreshed = await api.POST('/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.is(refreshed.response.status, 200);
  if (!refreshed.data) throw new Error(`refresh: ${String(refreshed.response.status)}`);
  const next = refreshed.data;
  const out = await api.POST('/v1/auth/logout', {
    headers: bearer(next.accessToken),
    body: { refreshToken: next.refreshToken },
  });
  t.is(out.response.status, 204);
  t.is(
    (await api.POST('/v1/auth/refresh', { body: { refreshToken: next.refreshToken } })).response.status,
    401,
  );
  if (!registered.data) throw new Error(`register: ${String(registered.response.status)}`);
  return { email, password, id: registered.data.id, tokens: next };
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pids of processes whose environment holds `marker` (a variable only one stack's functions get). */
function processesMarked(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
      } catch {
        return false; // exited meanwhile, or not ours
      }
    })
    .map(Number);
}

test.serial(
  'a function that cannot start fails the stack, and no function it started keeps running',
  async (t) => {
    t.timeout(120_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ecom-embedded-'));
    t.teardown(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });
    const stackId = randomUUID();
    const starting = startLocalStack({
      mode: 'embedded',
      dataDir,
      gatewayPort: 0,
      gatewayHttpsPort: 0,
      brokerPort: 0,
      logger,
      // The order service's functions refuse a junk verification key as they start; the others start fine.
      envFor: (service) => ({
        ECOM_E2E_STACK: stackId,
        ...(service === 'order' ? { JWT_PUBLIC_KEY: 'junk' } : {}),
      }),
    });
    await t.throwsAsync(starting, { message: /exited with 1 before it was ready/ });
    t.deepEqual(processesMarked(`ECOM_E2E_STACK=${stackId}`), []);
  },
);

/** An IPv4 address of this machine other than loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

/** How a TCP connection to `host:port` ends: connected, or the error code that refused it. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });
}

/** The local addresses (hex, as /proc/net/tcp{,6} write them) listening on `port`: the bound address as the kernel reports it. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(([, local, , state]) => state === '0A' && local?.endsWith(`:${hexPort}`))
      .map(([, local]) => (local ?? '').split(':')[0] ?? ''),
  );
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

/** `npm start` in its own process group, as a terminal runs it, with its output collected. */
function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, ...env },
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
  // 'close' comes after the pipes are drained: an early exit's last words (its error) are in the output then.
  const closed = new Promise<void>((resolve) =>
    child.once('close', () => {
      resolve();
    }),
  );
  return {
    output: () => output,
    async ready(timeoutMs = 300_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('Ctrl-C stops everything')) {
        const exitCode = child.exitCode;
        if (exitCode !== null || Date.now() > deadline) {
          if (exitCode !== null) await closed;
          const how =
            exitCode === null ? `within ${String(timeoutMs)} ms` : `(exit code ${String(exitCode)})`;
          throw new Error(`npm start did not come up ${how}:\n${output.slice(-8000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    /**
     * Ctrl-C: SIGINT to the whole foreground process group. npm itself ends on it at once, so this then waits
     * for the stack's own last word.
     */
    async interrupt(timeoutMs = 60_000): Promise<void> {
      if (child.pid === undefined || output.includes('Stopped.')) return;
      if (!killGroup(child.pid, 'SIGINT')) return;
      await exited;
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('Stopped.') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      // Whatever did not stop is killed, so no process outlives the test (its pipes would keep ava waiting).
      if (!output.includes('Stopped.')) killGroup(child.pid, 'SIGKILL');
    },
  };
}

test.serial(
  'npm start prints where everything is, Ctrl-C stops it all, and the next start keeps the data and its key pair',
  async (t) => {
    t.timeout(900_000);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ecom-start-'));
    const env = {
      DEV_DATA_DIR: dataDir,
      DEV_GATEWAY_PORT: String(await freePort()),
      DEV_GATEWAY_HTTPS_PORT: String(await freePort()),
      DEV_BROKER_PORT: String(await freePort()),
      ADMIN_PASSWORD: `admin-${randomUUID()}`,
    };
    const gateway = `https://127.0.0.1:${env.DEV_GATEWAY_HTTPS_PORT}`;
    // The gateway's certificate, made in the data folder by the first start; every call below trusts it.
    const certificateFile = gatewayCertificateFiles(dataDir).cert;
    let client: TrustingFetch | undefined;
    const fetch: typeof globalThis.fetch = (input, init) => {
      client ??= trustingFetch(readFileSync(certificateFile, 'utf8'));
      return client.fetch(input, init);
    };
    t.teardown(() => client?.close());
    const api = apiClient(gateway, fetch);
    const me = async (through: ApiClient, token: string) =>
      (await through.GET('/v1/users/me', { headers: bearer(token) })).response.status;
    const account = { email: `start-${randomUUID().slice(0, 8)}@example.com`, password: 'a start password' };
    const admin = { email: 'admin@shop.local', password: env.ADMIN_PASSWORD };
    const keyFiles = jwtKeyFiles(dataDir);

    const first = npmStart(env);
    t.teardown(async () => {
      await first.interrupt();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await first.ready();
    t.false(first.output().includes(env.ADMIN_PASSWORD), 'the admin password is not printed');
    t.true(first.output().includes(`API gateway (routes and plugins of kong/kong.yml)  ${gateway}`));
    t.true(
      first
        .output()
        .includes(`HTTPS certificate (localhost, 127.0.0.1, ::1) is made now in ${certificateFile}`),
    );
    // Raw, and not held to docs/openapi.yaml: plain HTTP is not the API (its server is the HTTPS gateway), and no
    // typed client sends to it.
    const plain = await globalThis.fetch(`http://127.0.0.1:${env.DEV_GATEWAY_PORT}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
      redirect: 'manual',
    });
    t.is(plain.status, 308, 'plain HTTP is redirected, as Kong does');
    t.is(plain.headers.get('location'), `${gateway}/v1/auth/login`);
    const certificate = readFileSync(certificateFile, 'utf8');
    t.true(
      first
        .output()
        .includes('Sign in as the admin: admin@shop.local, password from ADMIN_PASSWORD in your environment'),
      'where the admin password comes from',
    );
    t.true(first.output().includes(`signed with the key pair made now in ${keyFiles.privateKey}`));
    t.is(statSync(keyFiles.privateKey).mode & 0o777, 0o600, 'only the owner reads the private key');
    const publicKey = readFileSync(keyFiles.publicKey, 'utf8');
    const registered = await api.POST('/v1/auth/register', { body: { ...account, name: 'Sam' } });
    t.is(registered.response.status, 201);

    // The stack's tokens are taken; one signed with the committed dev key is refused by the gateway and by the
    // function behind it.
    const adminLogin = await api.POST('/v1/auth/login', { body: admin });
    t.is(adminLogin.response.status, 200, 'the admin signs in with ADMIN_PASSWORD');
    if (!adminLogin.data) throw new Error(`admin login: ${String(adminLogin.response.status)}`);
    const { accessToken } = adminLogin.data;
    const adminMe = await api.GET('/v1/users/me', { headers: bearer(accessToken) });
    t.is(adminMe.response.status, 200);
    if (!adminMe.data) throw new Error(`admin me: ${String(adminMe.response.status)}`);
    const { id: adminId } = adminMe.data;
    const forged = signAccessToken(
      { userId: adminId, role: 'admin', sessionId: randomUUID() },
      loadConfig(AccessTokenSignerEnv, {}),
    ).token;
    t.is(await me(api, forged), 401, 'the gateway refuses the committed dev key');
    const userQuery = /^ {2}user-query +(http:\/\/127\.0\.0\.1:\d+)$/m.exec(first.output())?.[1];
    t.is(typeof userQuery, 'string', 'the banner lists user-query');
    // The function itself, past the gateway: its answers are held to the same document.
    const direct = apiClient(userQuery ?? '', fetch);
    t.is(await me(direct, forged), 401, 'the function refuses the committed dev key');
    t.is(await me(direct, accessToken), 200);

    await first.interrupt();
    t.regex(first.output(), /Stopping…\n[^]*Stopped\.\n$/, 'stopped to the end');
    t.deepEqual(processesMarked(`DEV_DATA_DIR=${dataDir}`), [], 'nothing left running');

    const second = npmStart(env);
    t.teardown(() => second.interrupt());
    await second.ready();
    t.is(
      (await api.POST('/v1/auth/login', { body: account })).response.status,
      200,
      'the account is still there',
    );
    t.is(readFileSync(keyFiles.publicKey, 'utf8'), publicKey, 'the same key pair');
    t.is(
      readFileSync(certificateFile, 'utf8'),
      certificate,
      'the same certificate: trusted once, trusted on',
    );
    t.is(await me(api, accessToken), 200, 'a token of the first start still verifies');
    t.true(second.output().includes(`signed with the key pair kept in ${keyFiles.privateKey}`));
    t.false(second.output().includes(env.ADMIN_PASSWORD));
    await second.interrupt();
    t.regex(second.output(), /Stopped\.\n$/);
    t.deepEqual(processesMarked(`DEV_DATA_DIR=${dataDir}`), []);
  },
);

test.serial('embedded default: the user flow, the gateway plugins, retries and dead letters', async (t) => {
  t.timeout(180_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ecom-embedded-'));
  // The gateway's clock, moved only by this test: once the stack is up, 15 s into the current minute, then frozen.
  // It stays within a minute of the functions' clock, so the tokens they sign are checked as on the real clock: the
  // jwt plugin refuses a token whose expiry lies more than its 5 minutes and a minute of skew ahead of the gateway's
  // time, which a clock frozen before a slow start (CI) fell behind by.
  let minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
  let gatewayTime = minuteStart + 15_000;
  // notify's mail server is down: deliveries fail with 503, so the broker retries them and then dead-letters.
  const stack = await startLocalStack({
    mode: 'embedded',
    dataDir,
    gatewayPort: 0,
    gatewayHttpsPort: 0,
    brokerPort: 0,
    logger,
    envFor: (service) => (service === 'order' ? { SMTP_URL: 'smtp://127.0.0.1:9' } : {}),
    gatewayNow: () => gatewayTime,
    // knative/'s retries take 3.4 minutes to run out; here 10 s.
    brokerSleep: scaledSleep(20),
  });
  t.teardown(async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
  gatewayTime = minuteStart + 15_000;

  // Only the gateway and the broker ingress face the machine's user: every function listens on loopback alone.
  const outside = nonLoopbackAddress();
  for (const fn of stack.functions) {
    t.is(await tryConnect('127.0.0.1', fn.port), 'connected', fn.definition.name);
    if (outside === undefined) t.deepEqual(listeningAddresses(fn.port), ['0100007F'], fn.definition.name);
    else t.is(await tryConnect(outside, fn.port), 'ECONNREFUSED', `${fn.definition.name} on ${outside}`);
  }

  const api = apiClient(stack.gateway.url, stack.gateway.fetch);
  const account = await userFlow(t, api);

  // The gateway: no token 401, a body over 100 KB 413, Kong's own answers as problem documents.
  t.like(seen(await api.GET('/v1/users/me')), { status: 401, body: { code: 'AUTH.MISSING_TOKEN' } });
  const big = await api.POST('/v1/auth/register', {
    body: { email: 'x@example.com', password: 'x'.repeat(200_000), name: 'X' },
  });
  t.like(seen(big), { status: 413, body: { code: 'REQUEST.TOO_LARGE' } });

  // kong.yml limits logins to 10 a minute per IP. A fresh minute (userFlow's login was in the last one), 15 s in.
  gatewayTime = minuteStart + 75_000;
  const login = async () => {
    const { response, error } = await api.POST('/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    return { status: response.status, headers: response.headers, error };
  };
  const limitHeaders = (headers: Headers) => ({
    limitMinute: headers.get('x-ratelimit-limit-minute'),
    remainingMinute: headers.get('x-ratelimit-remaining-minute'),
    limit: headers.get('ratelimit-limit'),
    remaining: headers.get('ratelimit-remaining'),
    reset: headers.get('ratelimit-reset'),
    retryAfter: headers.get('retry-after'),
  });
  const allowed = (remaining: number, reset: number) => ({
    limitMinute: '10',
    remainingMinute: String(remaining),
    limit: '10',
    remaining: String(remaining),
    reset: String(reset),
    retryAfter: null,
  });
  for (let n = 1; n <= 10; n++) {
    const answer = await login();
    t.is(answer.status, 200, `login ${n}`);
    t.deepEqual(limitHeaders(answer.headers), allowed(10 - n, 45), `login ${n}`);
  }
  gatewayTime = minuteStart + 119_999; // the last millisecond of the same minute
  const refused = await login();
  t.is(refused.status, 429);
  t.like(refused.error, { status: 429, code: 'REQUEST.RATE_LIMITED', retryAfter: 1 });
  t.deepEqual(limitHeaders(refused.headers), {
    limitMinute: '10',
    remainingMinute: '0',
    limit: '10',
    remaining: '0',
    reset: '1',
    retryAfter: '1',
  });
  gatewayTime = minuteStart + 120_000; // the next minute starts afresh
  const afresh = await login();
  t.is(afresh.status, 200);
  t.deepEqual(limitHeaders(afresh.headers), allowed(9, 60));

  // The registration's event reached notify, which failed (no mail server) and was retried, then dead-lettered.
  const notifyLetters = await eventually(
    () => stack.broker.deadLetters(),
    (letters) => letters.some((l) => l.event.subject === account.id),
  );
  const retried = notifyLetters.find((l) => l.event.subject === account.id);
  t.like(retried, { trigger: 'ecom/notify', status: 503, attempts: 10 });

  // An invalid event is answered 400 and dead-lettered at once, without retries.
  const invalid = HTTP.binary(
    new CloudEvent({
      type: 'com.ecom.user.registered',
      source: '/ecom/user/register',
      subject: 'not-a-user',
      datacontenttype: 'application/json',
      data: { userId: 'not-a-uuid' },
    }),
  );
  const accepted = await fetch(stack.broker.ingressUrl, {
    method: 'POST',
    headers: invalid.headers as Record<string, string>,
    body: JSON.stringify(invalid.body),
  });
  t.is(accepted.status, 202);
  const letters = await eventually(
    () => stack.broker.deadLetters(),
    (all) => all.some((l) => l.event.subject === 'not-a-user'),
  );
  t.like(
    letters.find((l) => l.event.subject === 'not-a-user'),
    { status: 400, attempts: 1 },
  );

  // Each dead letter reaches count-dead-letters (the KafkaSource of knative/ on the dead-letter topic), which logs
  // where it was meant to go.
  const counter = stack.functions.find((fn) => fn.definition.name === 'count-dead-letters');
  const counted = await eventually(
    () =>
      Promise.resolve(
        (counter?.lastLines() ?? [])
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => line['msg'] === 'dead letter'),
      ),
    (lines) => lines.some((line) => line['subject'] === 'not-a-user'),
  );
  t.like(
    counted.find((line) => line['subject'] === 'not-a-user'),
    { subscriber: 'notify', status: 400, problemCode: 'EVENT.INVALID_DATA' },
  );
  t.like(
    counted.find((line) => line['subject'] === account.id),
    { subscriber: 'notify', status: 503 },
  );
});

test.serial(
  'real MariaDB, Kafka and Cassandra: the user flow, and the welcome notification through Kafka',
  async (t) => {
    t.timeout(180_000);
    const { stack, remove } = await startInfraStack({ logger });
    t.teardown(() => remove());

    const api = apiClient(stack.gateway.url, stack.gateway.fetch);
    const account = await userFlow(t, api);
    const login = await api.POST('/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    if (!login.data) throw new Error(`login: ${String(login.response.status)}`);
    const { accessToken } = login.data;
    const inbox = await eventually(
      async () => seen(await api.GET('/v1/notifications', { headers: bearer(accessToken) })),
      (answer) => (answer.body as { total?: number } | undefined)?.total === 1,
    );
    t.like(inbox, { status: 200, body: { total: 1, items: [{ kind: 'welcome', title: 'Welcome, Eve!' }] } });
  },
);
