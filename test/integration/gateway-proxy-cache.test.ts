// The dev gateway's proxy-cache, as Kong's memory strategy behaves (kong/plugins/proxy-cache/handler.lua), in front of
// a stand-in function that answers what each request's query asks for and counts what reaches it. Every clock is the
// test's own, so ages and lifetimes are exact.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { startDevGateway, type DevGateway } from '../../dev/gateway/dev-gateway';
import { parseKongConfig } from '../../dev/gateway/kong-config';

const KONG_YML = `
_format_version: "3.0"
services:
  - name: catalogue
    url: http://catalogue.ecom.svc.cluster.local
    routes:
      - name: cached
        methods: [GET, POST]
        paths: ["~/v1/cached$"]
        strip_path: false
        plugins:
          - name: proxy-cache
            config:
              strategy: memory
              cache_control: true
              response_code: [200]
              request_method: [GET]
              content_type: ["application/json; charset=utf-8"]
              vary_headers: [authorization, if-none-match]
      - name: by-ttl
        methods: [GET]
        paths: ["~/v1/by-ttl$"]
        strip_path: false
        plugins:
          - name: proxy-cache
            config:
              strategy: memory
              cache_ttl: 10
              vary_query_params: [q]
              response_headers: { age: false, X-Cache-Key: false }
plugins:
  - name: correlation-id
    config: { header_name: X-Request-ID, generator: uuid, echo_downstream: true }
`;

/** 10 s into a minute; each test's gateway has a clock of its own that only the test moves. */
const T0 = Date.UTC(2026, 0, 5, 9, 30, 10);

/** The stand-in: answers 200 JSON, with the status, content type and Cache-Control the query asks for. */
async function startStandIn() {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const query = new URL(req.url ?? '/', 'http://stand-in').searchParams;
    res.writeHead(Number(query.get('status') ?? 200), {
      'content-type': query.get('type') ?? 'application/json; charset=utf-8',
      'cache-control': query.get('cc') ?? 'public, max-age=30',
      etag: `"${String(seen.length)}"`,
    });
    res.end(JSON.stringify({ answer: seen.length, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) };
}

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
const standIns: StandIn[] = [];
const gateways: DevGateway[] = [];

/** A gateway of its own (an empty cache) with its stand-in, and a clock the test sets. */
async function setUp() {
  const standIn = await startStandIn();
  standIns.push(standIn);
  const clock = { now: T0 };
  const gateway = await startDevGateway({
    kongConfig: parseKongConfig(KONG_YML, 'inline'),
    upstreams: () => standIn.url,
    port: 0,
    httpsPort: 0,
    now: () => clock.now,
  });
  gateways.push(gateway);
  return { gateway, standIn, clock };
}

test.after.always(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  for (const { server } of standIns) server.close();
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request over plain HTTP (the routes allow it), exactly as written: the target is not normalised. */
function send(
  gateway: DevGateway,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.httpUrl}${target}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('a cacheable answer is stored on a miss and served again on a hit, with its headers, its age and the same key', async (t) => {
  const { gateway, standIn, clock } = await setUp();
  const first = await send(gateway, '/v1/cached?q=tea');
  t.is(first.status, 200);
  t.is(first.headers['x-cache-status'], 'Miss');
  clock.now += 4_000;
  const second = await send(gateway, '/v1/cached?q=tea', { 'x-request-id': 'second' });
  t.is(second.status, 200);
  t.is(second.headers['x-cache-status'], 'Hit');
  t.is(second.body, first.body);
  t.is(second.headers.etag, first.headers.etag);
  t.is(second.headers['cache-control'], 'public, max-age=30');
  t.is(second.headers['content-type'], 'application/json; charset=utf-8');
  t.is(second.headers['content-length'], String(Buffer.byteLength(first.body)));
  t.is(second.headers.age, '4');
  t.is(second.headers['x-cache-key'], first.headers['x-cache-key']);
  t.regex(String(first.headers['x-cache-key']), /^[0-9a-f]{64}$/);
  // The other plugins still filter a hit: the correlation id is this request's, not the stored one's.
  t.is(second.headers['x-request-id'], 'second');
  t.deepEqual(standIn.seen, ['/v1/cached?q=tea']);
});

test("the key: the query's order does not count, its values do, and so do the token and If-None-Match", async (t) => {
  const { gateway, standIn } = await setUp();
  await send(gateway, '/v1/cached?a=1&b=2');
  t.is((await send(gateway, '/v1/cached?b=2&a=1')).headers['x-cache-status'], 'Hit');
  for (const [target, headers] of [
    ['/v1/cached?a=1&b=3', {}],
    ['/v1/cached?a=1', {}],
    ['/v1/cached?a=1&b=2', { authorization: 'Bearer one' }],
    ['/v1/cached?a=1&b=2', { authorization: 'Bearer two' }],
    ['/v1/cached?a=1&b=2', { 'if-none-match': '"1"' }],
  ] as const) {
    t.is(
      (await send(gateway, target, headers)).headers['x-cache-status'],
      'Miss',
      `${target} ${JSON.stringify(headers)}`,
    );
  }
  t.is(
    (await send(gateway, '/v1/cached?a=1&b=2', { authorization: 'Bearer one' })).headers['x-cache-status'],
    'Hit',
  );
  t.is(standIn.seen.length, 6);
});

test('an answer that says private, no-store or no-cache, has no lifetime, or has another status or content type is passed on and not stored', async (t) => {
  const { gateway, standIn } = await setUp();
  for (const query of [
    'cc=private,max-age=30',
    'cc=no-store',
    'cc=no-cache',
    'cc=public',
    'cc=max-age=0',
    'status=404',
    'status=201',
    'type=application/json',
    'type=text/html',
  ]) {
    const target = `/v1/cached?${query}`;
    const answers = [await send(gateway, target), await send(gateway, target)];
    t.deepEqual(
      answers.map((answer) => answer.headers['x-cache-status']),
      ['Bypass', 'Bypass'],
      query,
    );
    t.is(standIn.seen.filter((url) => url === target).length, 2, query);
  }
});

test("a request's Cache-Control: no-cache and no-store bypass the cache, max-age refreshes an older entry, only-if-cached is 504 on a miss", async (t) => {
  const { gateway, standIn, clock } = await setUp();
  t.is((await send(gateway, '/v1/cached?q=cc', { 'cache-control': 'only-if-cached' })).status, 504);
  t.is(standIn.seen.length, 0, 'only-if-cached never goes upstream');
  await send(gateway, '/v1/cached?q=cc');
  for (const directive of ['no-cache', 'no-store']) {
    const bypassed = await send(gateway, '/v1/cached?q=cc', { 'cache-control': directive });
    t.is(bypassed.headers['x-cache-status'], 'Bypass', directive);
    t.is(bypassed.headers['x-cache-key'], undefined, directive);
  }
  t.is(standIn.seen.length, 3);
  clock.now += 5_000;
  t.is(
    (await send(gateway, '/v1/cached?q=cc', { 'cache-control': 'max-age=5' })).headers['x-cache-status'],
    'Hit',
  );
  const refreshed = await send(gateway, '/v1/cached?q=cc', { 'cache-control': 'max-age=4' });
  t.is(refreshed.headers['x-cache-status'], 'Refresh');
  t.is(standIn.seen.length, 4);
  const again = await send(gateway, '/v1/cached?q=cc');
  t.is(again.headers['x-cache-status'], 'Hit');
  t.is(again.headers.age, '0', 'the refresh stored the new answer');
  t.is(again.body, refreshed.body);
});

test('an entry lives as long as its max-age says: a second before, a hit; at it, a miss that stores the answer again', async (t) => {
  const { gateway, standIn, clock } = await setUp();
  await send(gateway, '/v1/cached?q=ttl&cc=max-age%3D3');
  clock.now += 2_999;
  t.is((await send(gateway, '/v1/cached?q=ttl&cc=max-age%3D3')).headers['x-cache-status'], 'Hit');
  clock.now += 1;
  t.is((await send(gateway, '/v1/cached?q=ttl&cc=max-age%3D3')).headers['x-cache-status'], 'Miss');
  t.is((await send(gateway, '/v1/cached?q=ttl&cc=max-age%3D3')).headers['x-cache-status'], 'Hit');
  t.is(standIn.seen.length, 2);
});

test('only the configured methods are cached: a POST on the same route passes with Bypass', async (t) => {
  const { gateway, standIn } = await setUp();
  await send(gateway, '/v1/cached?q=post');
  const posted = await send(gateway, '/v1/cached?q=post', {}, 'POST');
  t.is(posted.headers['x-cache-status'], 'Bypass');
  t.is(standIn.seen.length, 2);
});

test("without cache_control: Kong's cache_ttl for whatever the answer says, keyed by vary_query_params only, and the headers response_headers turns off stay off unless Kong-Debug asks", async (t) => {
  const { gateway, standIn, clock } = await setUp();
  const first = await send(gateway, '/v1/by-ttl?q=1&cc=no-store&type=text/plain');
  t.is(first.headers['x-cache-status'], 'Miss');
  t.is(first.headers['x-cache-key'], undefined);
  clock.now += 9_000;
  const hit = await send(gateway, '/v1/by-ttl?q=1&other=x');
  t.is(hit.headers['x-cache-status'], 'Hit');
  t.is(hit.body, first.body);
  t.is(hit.headers.age, undefined);
  t.is(hit.headers['cache-control'], 'no-store', 'the stored headers are served as they were');
  const debug = await send(gateway, '/v1/by-ttl?q=1', { 'kong-debug': '1' });
  t.is(debug.headers.age, '9');
  t.regex(String(debug.headers['x-cache-key']), /^[0-9a-f]{64}$/);
  clock.now += 1_000;
  const expired = await send(gateway, '/v1/by-ttl?q=1&type=text/plain');
  t.is(expired.headers['x-cache-status'], 'Miss', 'gone after cache_ttl');
  t.is(standIn.seen.length, 2);
});

test('kong.yml with a proxy-cache the dev gateway cannot run is refused with the field named', (t) => {
  const withStrategy = (strategy: string) =>
    KONG_YML.replace(
      'strategy: memory\n              cache_control',
      `strategy: ${strategy}\n              cache_control`,
    );
  t.throws(() => parseKongConfig(withStrategy('redis'), 'inline'), { message: /memory/ });
  t.throws(() => parseKongConfig(KONG_YML.replace('cache_ttl: 10', 'cache_ttl: 0'), 'inline'), {
    message: /cache_ttl/,
  });
});
