import test from 'ava';
import { createLogger } from '../../shared/log/logger';

function capture(level?: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(`test-${Math.random()}`, {
    ...(level ? { level } : {}),
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

test('writes one JSON line with level, time, function, msg and fields', (t) => {
  const { logger, lines } = capture();
  logger.info('order placed', { orderId: 'o-1' });
  t.is(lines.length, 1);
  t.like(lines[0], { level: 'info', msg: 'order placed', orderId: 'o-1' });
  t.regex(String(lines[0]?.['function']), /^test-/);
  t.false(Number.isNaN(Date.parse(String(lines[0]?.['time']))));
});

test('child loggers carry their fields on every line', (t) => {
  const { logger, lines } = capture();
  const request = logger.child({ requestId: 'r-1', traceparent: '00-abc-def-01' });
  request.warn('slow');
  request.error('failed', { requestId: 'r-2' });
  t.like(lines[0], { requestId: 'r-1', traceparent: '00-abc-def-01', level: 'warn' });
  t.like(lines[1], { requestId: 'r-2', level: 'error' }, 'a line field wins over the bound one');
});

test('levels below the configured one are not written', (t) => {
  const { logger, lines } = capture('warn');
  logger.debug('noise');
  logger.info('noise');
  logger.warn('kept');
  t.deepEqual(
    lines.map((l) => l['msg']),
    ['kept'],
  );
});

test('errors keep their message and stack', (t) => {
  const { logger, lines } = capture();
  logger.error('boom', { error: new Error('disk full') });
  const error = lines[0]?.['error'] as { message: string; stack: string };
  t.is(error.message, 'disk full');
  t.regex(error.stack, /Error: disk full/);
});

test('silent writes nothing', (t) => {
  const { logger, lines } = capture('silent');
  logger.error('even errors');
  t.is(lines.length, 0);
});
