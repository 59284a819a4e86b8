// The local Zipkin (dev/infra/zipkin.ts, started by `npm test`'s pretest) takes spans in Zipkin v2 JSON, as the
// functions' Zipkin exporter sends them, and serves them back by trace id, as its UI reads them.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { infraEnv } from '../../dev/infra/infra-env';
import { uniqueName } from '../support/unique-name';

const { url, spansEndpoint } = infraEnv.zipkin;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: string;
  name: string;
  timestamp: number;
  duration: number;
  localEndpoint: { serviceName: string };
  tags?: Record<string, string>;
}

/** The trace's spans once Zipkin has stored them all (its collector stores asynchronously): [] on timeout. */
async function readTrace(traceId: string, count: number): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + 10_000;
  let spans: ZipkinSpan[] = [];
  do {
    const response = await fetch(`${url}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(5000) });
    if (response.ok) spans = (await response.json()) as ZipkinSpan[];
    else if (response.status !== 404) throw new Error(`GET /api/v2/trace: HTTP ${response.status}`);
    if (spans.length >= count) return spans;
    await sleep(100);
  } while (Date.now() < deadline);
  return spans;
}

test('Zipkin stores posted spans and serves them back as one trace', async (t) => {
  // Zipkin lower-cases span and service names: these are lower case already, so they come back as sent.
  const serviceName = uniqueName('infra-test');
  const traceId = hex(16);
  const timestamp = Date.now() * 1000; // microseconds
  const server: ZipkinSpan = {
    traceId,
    id: hex(8),
    kind: 'SERVER',
    name: 'post /v1/orders',
    timestamp,
    duration: 25_000,
    localEndpoint: { serviceName },
    tags: { 'http.request.method': 'POST', 'http.response.status_code': '201' },
  };
  const client: ZipkinSpan = {
    traceId,
    id: hex(8),
    parentId: server.id,
    kind: 'CLIENT',
    name: 'insert orders',
    timestamp: timestamp + 1_000,
    duration: 5_000,
    localEndpoint: { serviceName },
  };

  const posted = await fetch(spansEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([server, client]),
    signal: AbortSignal.timeout(5000),
  });
  t.is(posted.status, 202, await posted.text());

  const byStart = (a: ZipkinSpan, b: ZipkinSpan) => a.timestamp - b.timestamp;
  t.deepEqual((await readTrace(traceId, 2)).sort(byStart), [server, client]);
});

test('Zipkin serves its UI', async (t) => {
  const response = await fetch(`${url}/zipkin/`, { signal: AbortSignal.timeout(5000) });
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/html/);
});
