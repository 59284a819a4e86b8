import { trace } from '@opentelemetry/api';
import loglevel from 'loglevel';
import type { LogFields, Logger } from '../domain/logger';

export type { LogFields, Logger } from '../domain/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

/** Writes one JSON line; errors are flattened because JSON.stringify drops their message and stack. */
export type LineWriter = (line: string) => void;
const stdoutWriter: LineWriter = (line) => process.stdout.write(line + '\n');

function serialise(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/**
 * The ids of the span active where the line is written, so a log line leads to its trace. Only a recording span has
 * them: with tracing off the API's context is always empty and this costs one lookup.
 */
function traceIds(): LogFields {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * A JSON-lines logger over loglevel: loglevel owns the level (LOG_LEVEL, default info), we own the format
 * `{level, time, function, msg, traceId, spanId, ...fields}` (the ids inside a recording span) that the cluster's log collector indexes.
 */
export function createLogger(
  functionName: string,
  options: { level?: string; write?: LineWriter } = {},
): Logger {
  const base = loglevel.getLogger(functionName);
  const write = options.write ?? stdoutWriter;
  const level = options.level ?? process.env['LOG_LEVEL'] ?? 'info';
  base.setLevel(
    level === 'silent' || LEVELS.includes(level as Level) ? (level as Level | 'silent') : 'info',
    false,
  );

  const make = (bound: LogFields): Logger => {
    const emit =
      (lvl: Level) =>
      (msg: string, fields: LogFields = {}) => {
        base[lvl](() => {
          const record: LogFields = {
            level: lvl,
            time: new Date().toISOString(),
            function: functionName,
            msg,
            ...traceIds(),
          };
          for (const [key, value] of Object.entries({ ...bound, ...fields })) record[key] = serialise(value);
          write(JSON.stringify(record));
        });
      };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };

  // loglevel calls the method it built with our arguments; we pass a thunk so that a disabled level never
  // formats its line.
  base.methodFactory = () => (thunk: unknown) => {
    if (typeof thunk === 'function') (thunk as () => void)();
  };
  base.rebuild();
  return make({});
}
