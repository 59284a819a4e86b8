/**
 * The logging port: what use cases and adapters log through. shared/log/logger.ts writes it as JSON lines with
 * loglevel; tests pass a silent one.
 */

/** Structured fields added to a log line (requestId, traceparent, ids of the aggregate at hand). Never secrets. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly debug: (msg: string, fields?: LogFields) => void;
  readonly info: (msg: string, fields?: LogFields) => void;
  readonly warn: (msg: string, fields?: LogFields) => void;
  readonly error: (msg: string, fields?: LogFields) => void;
  /** A logger that adds `fields` to every line, e.g. the request id of the request being served. */
  readonly child: (fields: LogFields) => Logger;
}
