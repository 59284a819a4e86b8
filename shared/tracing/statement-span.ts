import { context, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { markFailed } from './failed-span';
import { statementShape, statementSpanName } from './statement-shape';
import { tracer } from './tracer';

/** The database a client talks to, as the statement spans name it (semantic conventions' `db.*`, `server.*`). */
export interface StatementTarget {
  /** `mariadb`, `sqlite` or `cassandra`. */
  readonly system: string;
  /** The database or keyspace. */
  readonly namespace?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
}

/**
 * Runs one statement inside a CLIENT span named by its shape, with the statement's text stripped of its values
 * (statement-shape.ts). Only under a span being recorded: a query outside any request or event (an outbox relay's
 * poll, a migration at start) would otherwise make a trace of its own, and with tracing off (or the trace not
 * sampled) the statement runs with nothing added but one lookup. An error marks the span with the error's class,
 * never its message, which may quote a value (MySQL's "Duplicate entry 'alice@…'").
 */
export function inStatementSpan<T>(
  target: StatementTarget,
  statement: string,
  run: () => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return run();
  const shape = statementShape(statement);
  const attributes: Attributes = {
    'db.system.name': target.system,
    'db.operation.name': shape.operation,
    'db.query.text': shape.text,
  };
  if (target.namespace !== undefined) attributes['db.namespace'] = target.namespace;
  if (shape.collection !== undefined) attributes['db.collection.name'] = shape.collection;
  if (target.host !== undefined) attributes['server.address'] = target.host;
  if (target.port !== undefined) attributes['server.port'] = target.port;
  const span = tracer().startSpan(
    statementSpanName(shape, target.system),
    { kind: SpanKind.CLIENT, attributes },
    context.active(),
  );
  return run().then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      markFailed(span, error);
      span.end();
      throw error;
    },
  );
}
