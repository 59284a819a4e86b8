import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import test from 'ava';
import { runShutdownHooks } from '../../../shared/runtime/shutdown';
import { startTracing } from '../../../shared/tracing/start-tracing';
import { tracer } from '../../../shared/tracing/tracer';

// Its own file (so its own process): tracing is registered once per process, and the test checks what is loaded.
const loaded = (name: string) =>
  Object.keys(require.cache).some((file) => file.includes(`/@opentelemetry/${name}/`));

interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly name: string;
  readonly localEndpoint: { readonly serviceName: string };
}

test('on, spans are batched and sent by an exporter loaded at the first export, flushed at shutdown', async (t) => {
  const received: ZipkinSpan[] = [];
  const collector = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ZipkinSpan[]));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  t.teardown(() => collector.close());
  const { port } = collector.address() as AddressInfo;

  const on = await startTracing(
    { functionName: 'place-order', serviceName: 'order' },
    {
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${port}/api/v2/spans`,
    },
  );
  t.true(on);
  t.true(loaded('sdk-trace'));

  const span = tracer().startSpan('place the order');
  t.true(span.isRecording());
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  t.regex(
    carrier['traceparent'] ?? '',
    /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    'W3C trace context is the propagator',
  );
  span.end();
  t.false(loaded('exporter-zipkin'), 'no exporter code before the first export');

  await runShutdownHooks((name, error) => {
    t.fail(`${name}: ${String(error)}`);
  });
  t.true(loaded('exporter-zipkin'));
  t.deepEqual(
    received.map(({ name, traceId, id, localEndpoint }) => ({
      name,
      traceId,
      id,
      service: localEndpoint.serviceName,
    })),
    [
      {
        name: 'place the order',
        traceId: span.spanContext().traceId,
        id: span.spanContext().spanId,
        service: 'place-order',
      },
    ],
  );
});
