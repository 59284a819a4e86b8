import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import test from 'ava';
import { createLogger } from '../../../shared/log/logger';
import { registerTracing } from '../../../shared/tracing/register-tracing';
import { tracer } from '../../../shared/tracing/tracer';

registerTracing({ spanProcessor: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }) });

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('logger-trace-ids-test', {
    level: 'info',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { lines, logger };
}

test('a line written inside a recording span carries its trace and span ids', async (t) => {
  const { lines, logger } = capture();
  const child = logger.child({ requestId: 'r-1' });
  const ids = await tracer().startActiveSpan('work', async (span) => {
    await Promise.resolve(); // across an await, as a handler logs
    child.info('inside', { orderId: 'o-1' });
    span.end();
    return span.spanContext();
  });
  logger.info('outside');
  t.like(lines[0], {
    msg: 'inside',
    traceId: ids.traceId,
    spanId: ids.spanId,
    requestId: 'r-1',
    orderId: 'o-1',
  });
  t.false('traceId' in (lines[1] ?? {}));
  t.false('spanId' in (lines[1] ?? {}));
});

test('a span that does not record (not sampled, or ended) adds nothing', (t) => {
  const { lines, logger } = capture();
  const unsampled = trace.wrapSpanContext({
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.NONE,
  });
  tracer().startActiveSpan('unsampled parent', {}, trace.setSpan(ROOT_CONTEXT, unsampled), (span) => {
    logger.info('not sampled');
    span.end();
    logger.info('ended');
  });
  t.deepEqual(
    lines.map((line) => 'traceId' in line),
    [false, false],
  );
});
