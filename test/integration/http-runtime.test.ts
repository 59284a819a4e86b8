import test from 'ava';
import { z } from 'zod';
import { AppError } from '../../shared/errors/app-error';
import { createLogger } from '../../shared/log/logger';
import { httpRoute } from '../../shared/runtime/function-definition';
import { defineRoute, httpHandler } from '../../shared/runtime/http-function';
import type { AuthorizationVerifier } from '../../shared/runtime/principal';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';

const verify: AuthorizationVerifier = (authorization) => {
  const token = {
    tokenId: 'jti-1',
    sessionId: '00000000-0000-4000-8000-00000000005e',
    expiresAt: new Date(Date.now() + 60_000),
  };
  if (authorization === 'Bearer admin') return { userId: 'a-1', role: 'admin', ...token };
  if (authorization === 'Bearer customer') return { userId: 'c-1', role: 'customer', ...token };
  throw new AppError('unauthenticated', 'AUTH.INVALID_TOKEN', 'Invalid token.');
};

const routes = [
  defineRoute({
    route: httpRoute({
      method: 'POST',
      path: '/v1/things',
      auth: 'public',
      summary: 'Makes a thing.',
      body: z.object({ name: z.string().min(1), qty: z.number().int().positive() }).strict(),
      responses: { 201: { description: 'The thing.' } },
    }),
    handle: ({ body }) => Promise.resolve({ status: 201, body: { ...body, id: 't-1' } }),
  }),
  defineRoute({
    route: httpRoute({
      method: 'GET',
      path: '/v1/things/{id}',
      auth: 'authenticated',
      summary: 'A thing.',
      params: z.object({ id: z.string().regex(/^t-\d+$/) }),
      query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
      responses: { 200: { description: 'The thing.' } },
    }),
    handle: ({ params, query, principal }) =>
      Promise.resolve({ status: 200, body: { id: params.id, page: query.page, caller: principal?.userId } }),
  }),
  defineRoute({
    route: {
      method: 'DELETE',
      path: '/v1/things/{id}',
      auth: 'admin',
      summary: 'Deletes a thing.',
      responses: { 204: { description: 'Gone.' } },
    },
    handle: () => Promise.resolve({ status: 204 }),
  }),
  defineRoute({
    route: {
      method: 'GET',
      path: '/v1/broken',
      auth: 'public',
      summary: 'Fails.',
      responses: { 200: { description: 'Never.' } },
    },
    handle: () => Promise.reject(new Error('connection string mysql://root:secret@db')),
  }),
];

let fn: FunctionUnderTest;
/** The function's log lines, to find the request id each request was logged with. */
const logged: Record<string, unknown>[] = [];
test.before(async () => {
  const logger = createLogger('http-runtime-test', {
    level: 'info',
    write: (line) => logged.push(JSON.parse(line) as Record<string, unknown>),
  });
  fn = await serveFunction(httpHandler({ routes, verify, logger }), { bodyLimitBytes: 1024 });
});
test.after.always(() => fn.close());

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${fn.url}/v1/things`, { method: 'POST', headers, body });

async function problemOf(response: Response) {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** The status and one header of an answer, its body read so that the connection is free again. */
async function headerOf(response: Response, name: string): Promise<[number, string | null]> {
  await response.arrayBuffer();
  return [response.status, response.headers.get(name)];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a valid command answers with the handler reply', async (t) => {
  const response = await post(JSON.stringify({ name: 'pen', qty: 2 }));
  t.is(response.status, 201);
  t.deepEqual(await response.json(), { name: 'pen', qty: 2, id: 't-1' });
  t.regex(response.headers.get('x-request-id') ?? '', UUID);
});

test('every answer is nosniff: a success, a problem, a 404, a 405, a refused body, the health check', async (t) => {
  const answers = await Promise.all([
    post(JSON.stringify({ name: 'pen', qty: 2 })),
    post(JSON.stringify({ name: '', qty: 0 })),
    fetch(`${fn.url}/v1/nothing`),
    fetch(`${fn.url}/v1/things`, { method: 'PUT' }),
    post('{"name": "pen",'),
    fetch(`${fn.url}/healthz`),
  ]);
  t.deepEqual(await Promise.all(answers.map((answer) => headerOf(answer, 'x-content-type-options'))), [
    [201, 'nosniff'],
    [400, 'nosniff'],
    [404, 'nosniff'],
    [405, 'nosniff'],
    [400, 'nosniff'],
    [200, 'nosniff'],
  ]);
});

test('answers of routes that are not public are no-store, refusals included; a public route is not', async (t) => {
  const customer = { authorization: 'Bearer customer' };
  const answers = await Promise.all([
    fetch(`${fn.url}/v1/things/t-7`, { headers: customer }),
    fetch(`${fn.url}/v1/things/t-7`),
    fetch(`${fn.url}/v1/things/t-7`, { headers: { authorization: 'Bearer forged' } }),
    fetch(`${fn.url}/v1/things/t-7`, { method: 'DELETE', headers: customer }),
    fetch(`${fn.url}/v1/things/nope`, { headers: customer }),
    // Refused as it is read, before any route is known.
    fetch(`${fn.url}/v1/things/t-7`, {
      method: 'DELETE',
      headers: { ...customer, 'content-type': 'application/json' },
      body: '{',
    }),
    post(JSON.stringify({ name: 'pen', qty: 2 })),
    post(JSON.stringify({ name: '', qty: 0 })),
  ]);
  t.deepEqual(await Promise.all(answers.map((answer) => headerOf(answer, 'cache-control'))), [
    [200, 'no-store'],
    [401, 'no-store'],
    [401, 'no-store'],
    [403, 'no-store'],
    [400, 'no-store'],
    [400, 'no-store'],
    [201, null],
    [400, null],
  ]);
});

test('a request id is kept when it is a plain token of at most 128 characters, else replaced by a new UUID; the log line has the same', async (t) => {
  const kept = ['req-42', 'A.b_c:d-9', 'a'.repeat(128)];
  // A newline never reaches a function: Node's HTTP parser refuses such a request with its own 400.
  const replaced = ['a'.repeat(129), 'two words', 'a;b', 'a"b', 'tab\there', ''];
  const idOf = async (given: string) => {
    const response = await fetch(`${fn.url}/v1/things/t-1`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer admin', 'x-request-id': given },
    });
    t.is(response.status, 204);
    const id = response.headers.get('x-request-id') ?? '';
    const line = logged.find((entry) => entry['msg'] === 'request' && entry['requestId'] === id);
    t.like(line, { method: 'DELETE', path: '/v1/things/t-1', status: 204 }, `logged with ${id}`);
    return id;
  };
  t.deepEqual(await Promise.all(kept.map(idOf)), kept);
  const fresh = await Promise.all(replaced.map(idOf));
  for (const id of fresh) t.regex(id, UUID);
  t.is(new Set(fresh).size, replaced.length, 'each one new');
});

test('invalid input is a 400 problem naming each field', async (t) => {
  const { status, type, body } = await problemOf(
    await post(JSON.stringify({ name: '', qty: 0, role: 'admin' })),
  );
  t.is(status, 400);
  t.is(type, 'application/problem+json');
  t.is(body['code'], 'REQUEST.INVALID');
  const fields = (body['errors'] as { field: string }[]).map((e) => e.field).sort();
  t.deepEqual(fields, ['(body)', 'name', 'qty']);
});

test('malformed JSON is a 400 problem', async (t) => {
  const { status, body } = await problemOf(await post('{"name": "pen",'));
  t.is(status, 400);
  t.is(body['code'], 'REQUEST.MALFORMED_JSON');
});

test('a body over the limit is a 413 problem, with or without a declared length', async (t) => {
  const big = JSON.stringify({ name: 'x'.repeat(2000), qty: 1 });
  const declared = await problemOf(await post(big));
  t.is(declared.status, 413);
  t.is(declared.body['code'], 'REQUEST.TOO_LARGE');
  const chunked = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(big));
      controller.close();
    },
  });
  const streamed = await fetch(`${fn.url}/v1/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chunked,
    duplex: 'half',
  });
  t.is(streamed.status, 413);
});

test('path and query are validated and coerced', async (t) => {
  const ok = await fetch(`${fn.url}/v1/things/t-7?page=3`, { headers: { authorization: 'Bearer customer' } });
  t.deepEqual(await ok.json(), { id: 't-7', page: 3, caller: 'c-1' });
  const bad = await problemOf(
    await fetch(`${fn.url}/v1/things/nope?page=0`, { headers: { authorization: 'Bearer customer' } }),
  );
  t.is(bad.status, 400);
  t.deepEqual(
    (bad.body['errors'] as { field: string }[]).map((e) => e.field),
    ['path.id'],
  );
});

test('a query parameter given twice is a 400 naming it, whatever the values and their order', async (t) => {
  for (const query of ['page=2&page=3', 'page=3&page=2', 'page=2&page=2']) {
    const answer = await problemOf(
      await fetch(`${fn.url}/v1/things/t-7?${query}`, { headers: { authorization: 'Bearer customer' } }),
    );
    t.is(answer.status, 400, query);
    t.is(answer.body['code'], 'REQUEST.INVALID', query);
    t.deepEqual(answer.body['errors'], [{ field: 'query.page', message: 'Given more than once.' }], query);
  }
});

test('authentication and roles: 401 without a valid token, 403 without the role', async (t) => {
  t.is((await fetch(`${fn.url}/v1/things/t-1`)).status, 401);
  t.is((await fetch(`${fn.url}/v1/things/t-1`, { headers: { authorization: 'Bearer forged' } })).status, 401);
  const forbidden = await problemOf(
    await fetch(`${fn.url}/v1/things/t-1`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer customer' },
    }),
  );
  t.is(forbidden.status, 403);
  t.is(forbidden.body['code'], 'AUTH.FORBIDDEN');
  const allowed = await fetch(`${fn.url}/v1/things/t-1`, {
    method: 'DELETE',
    headers: { authorization: 'Bearer admin' },
  });
  t.is(allowed.status, 204);
});

test('unknown paths are 404, other methods on a known path 405', async (t) => {
  t.is((await fetch(`${fn.url}/v1/nothing`)).status, 404);
  const wrongMethod = await fetch(`${fn.url}/v1/things`, { method: 'PUT' });
  t.is(wrongMethod.status, 405);
  t.is(wrongMethod.headers.get('allow'), 'POST');
  const malformed = await problemOf(await fetch(`${fn.url}/v1/things/%E0%A4%A`));
  t.is(malformed.status, 400);
  t.is(malformed.body['code'], 'REQUEST.MALFORMED_URL');
});

test('GET /healthz answers 200 before any route, whatever the handler', async (t) => {
  const response = await fetch(`${fn.url}/healthz`);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'application/json');
  t.deepEqual(await response.json(), { status: 'ok' });
  t.is((await fetch(`${fn.url}/healthz`, { method: 'POST' })).status, 404);
});

test('an unexpected error is a 500 that leaks nothing', async (t) => {
  const response = await fetch(`${fn.url}/v1/broken`);
  t.is(response.status, 500);
  const text = await response.text();
  t.false(text.includes('secret'));
  t.is((JSON.parse(text) as { code: string }).code, 'INTERNAL');
});
