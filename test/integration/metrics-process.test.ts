// A built function (dist/product-query, as its image runs it) with OTEL_METRICS_EXPORTER=otlp: it loads the metrics
// SDK from beside its bundle (metrics-sdk.js, metric-exporter.js) and posts OTLP JSON to the collector named, here a
// receiver of this test, every interval and once more when it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { buildFunction, functionFolders } from '../../dev/build';
import { freePort } from '../../dev/local-stack/free-port';
import { startOtlpMetricsReceiver, type ReceivedPoint } from '../support/otlp-metrics-receiver';
import { dropDatabase } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

const root = path.resolve(__dirname, '../..');

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"listening"')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)} before listening:\n${output}`));
    });
  });
}

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a function process with metrics on exports its request histogram over OTLP/HTTP JSON', async (t) => {
  const folder = functionFolders().find((candidate) => candidate.name === 'product-query');
  if (!folder) throw new Error('no product-query');
  await buildFunction(folder, path.join(root, 'dist'));

  const collector = await startOtlpMetricsReceiver();
  t.teardown(() => collector.close());
  const database = uniqueName('test_metrics_process');
  t.teardown(() => dropDatabase(database));
  const port = await freePort();
  const child = spawn(process.execPath, ['index.js'], {
    cwd: path.join(root, 'dist', 'product-query'),
    env: {
      ...process.env,
      PORT: String(port),
      LISTEN_HOST: '127.0.0.1',
      MYSQL_DATABASE: database,
      USER_GRPC_ADDRESS: '127.0.0.1:1',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint.replace(/\/v1\/metrics$/, ''),
      OTEL_METRIC_EXPORT_INTERVAL: '300',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await listening(child);
  const base = `http://127.0.0.1:${String(port)}`;
  for (let i = 0; i < 3; i++) t.is((await fetch(`${base}/v1/products?q=secret+words`)).status, 200);
  t.is((await fetch(`${base}/v1/products/${randomUUID()}`)).status, 404);

  // Cumulative: the latest export holds every request so far.
  const latest = (route: string, status: number) =>
    collector
      .pointsOf('http.server.request.duration')
      .filter(
        (point) =>
          point.attributes['http.route'] === route &&
          point.attributes['http.response.status_code'] === status,
      )
      .at(-1);
  const found = await until('three requests of GET /v1/products', () => {
    const point = latest('/v1/products', 200);
    return point && point.value >= 3 ? point : undefined;
  });
  t.like(found, {
    kind: 'histogram',
    unit: 's',
    value: 3,
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/v1/products',
      'http.response.status_code': 200,
    },
    resource: {
      'service.name': 'product-query',
      'service.namespace': 'product',
      'faas.name': 'product-query',
    },
  });
  // Waited for too: an export may fall between the third search and the 404 (CI failed once on this).
  const notFound = await until('the 404 of GET /v1/products/{id}', () => latest('/v1/products/{id}', 404));
  t.like(notFound, { value: 1 });
  t.true(collector.requests.every(({ path: url }) => url === '/v1/metrics'));
  const all: readonly ReceivedPoint[] = collector.points;
  t.false(JSON.stringify(all).includes('secret'), 'no query, no raw path');

  // Stopping exports once more, within its bound, and exits cleanly.
  const exported = collector.requests.length;
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  t.is(await exit, 0);
  t.true(collector.requests.length > exported, 'the last export at stop');
});
