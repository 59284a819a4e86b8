// A function's process, as Knative runs it: on SIGTERM it stops taking connections, lets the requests in flight
// finish within SHUTDOWN_GRACE_MS, cuts what is left after that, and exits 0; a taken port stops it with a message.
import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { freePort } from '../../dev/local-stack/free-port';

const entry = path.resolve(__dirname, '../fixtures/kit-function/main.ts');

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

async function start(env: Record<string, string> = {}, port?: number): Promise<Running> {
  const chosen = port ?? (await freePort());
  const inherited = { ...process.env };
  delete inherited['LISTEN_HOST']; // as in the image: the runtime's own default, unless a test sets one
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...inherited, PORT: String(chosen), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, port: chosen, output: () => output, exited };
}

async function untilListening(running: Running): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!running.output().includes('"msg":"listening"')) {
    if (Date.now() > deadline) throw new Error(`not listening:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const slow = (running: Running, ms: number) =>
  fetch(`http://127.0.0.1:${running.port}/slow?ms=${ms}`, { method: 'POST' });

/** Resolves once the function logged `msg` (a request in flight: `sleeping`; the stop begun: `stopping`). */
async function logged(running: Running, msg: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!running.output().includes(`"msg":"${msg}"`)) {
    if (Date.now() > deadline) throw new Error(`never logged ${msg}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('SIGTERM lets a request in flight finish, refuses new connections, then exits 0', async (t) => {
  const running = await start({ SHUTDOWN_GRACE_MS: '10000' });
  t.teardown(() => running.child.kill('SIGKILL'));
  await untilListening(running);
  const request = slow(running, 700);
  await logged(running, 'sleeping');
  running.child.kill('SIGTERM');
  await logged(running, 'stopping');
  await t.throwsAsync(slow(running, 0), undefined, 'a new connection after SIGTERM is refused');
  const answer = await request;
  t.is(answer.status, 200);
  t.deepEqual(await answer.json(), { sleptMs: 700 });
  t.is(await running.exited, 0);
  t.regex(running.output(), /"msg":"stopped"/);
});

test('a request still running when the grace period ends is cut, and the process exits 0', async (t) => {
  const running = await start({ SHUTDOWN_GRACE_MS: '200' });
  t.teardown(() => running.child.kill('SIGKILL'));
  await untilListening(running);
  const request = slow(running, 30_000);
  await logged(running, 'sleeping');
  running.child.kill('SIGTERM');
  // Cut, not answered: the function did not wait the 30 s the request asked for.
  await t.throwsAsync(request);
  t.is(await running.exited, 0);
});

test('a taken port stops the function with a message naming the port', async (t) => {
  const first = await start();
  t.teardown(() => first.child.kill('SIGKILL'));
  await untilListening(first);
  const second = await start({}, first.port);
  t.teardown(() => second.child.kill('SIGKILL'));
  t.is(await second.exited, 1);
  t.regex(second.output(), new RegExp(`port ${String(first.port)} is already in use`));
});

/** An IPv4 address of this machine other than loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

const healthz = (host: string, running: Running) =>
  fetch(`http://${host}:${String(running.port)}/healthz`).then(
    (answer) => answer.status,
    (error: unknown) => ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code,
  );

test('without LISTEN_HOST the function listens on every interface, as the pod network needs', async (t) => {
  const running = await start();
  t.teardown(() => running.child.kill('SIGKILL'));
  await untilListening(running);
  t.regex(running.output(), /"msg":"listening","host":"0\.0\.0\.0"/);
  const outside = nonLoopbackAddress();
  if (outside !== undefined) t.is(await healthz(outside, running), 200, `reached on ${outside}`);
});

test('LISTEN_HOST=127.0.0.1 (the local stack) listens on loopback only', async (t) => {
  const running = await start({ LISTEN_HOST: '127.0.0.1' });
  t.teardown(() => running.child.kill('SIGKILL'));
  await untilListening(running);
  t.regex(running.output(), /"msg":"listening","host":"127\.0\.0\.1"/);
  t.is(await healthz('127.0.0.1', running), 200);
  const outside = nonLoopbackAddress();
  if (outside !== undefined) t.is(await healthz(outside, running), 'ECONNREFUSED', `refused on ${outside}`);
});
