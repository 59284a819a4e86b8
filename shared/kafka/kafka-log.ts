import type { logCreator } from 'kafkajs';
import type { Logger } from '../log/logger';

/** Where one kafkajs log entry goes in our logs; `undefined` drops it. */
export type KafkaLogRoute = 'error' | 'warn' | 'debug' | undefined;

// kafkajs levels: 1 error, 2 warn, 4 info, 5 debug.
const ERROR = 1;
const WARN = 2;

/**
 * Routes a kafkajs log entry. Two kinds of kafkajs output are not what they look like here:
 * - "Response <Api>" errors from a Connection are one broker answer to one request (a topic that already exists,
 *   a coordinator still loading, a leader moving). kafkajs retries them or the caller gets the error, and logs it
 *   then, so they are debug detail, not errors.
 * - The warning that limited retries may invalidate an idempotent producer's exactly-once guarantees: retries are
 *   bounded on purpose (the outbox relay retries on its own schedule, and a failed send starts a new producer),
 *   so consumers dedupe by event id anyway and the warning says nothing new at every start.
 */
export function routeKafkaLog(namespace: string, level: number, message: string): KafkaLogRoute {
  if (namespace === 'Producer' && message.startsWith('Limiting retries for the idempotent producer')) {
    return undefined;
  }
  if (namespace === 'Connection' && message.startsWith('Response ')) return 'debug';
  if (level <= ERROR) return 'error';
  if (level === WARN) return 'warn';
  return 'debug';
}

/** kafkajs' log entries, routed into our JSON logs. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const route = routeKafkaLog(namespace, level, message);
      if (route) logger[route](`kafkajs ${namespace}: ${message}`, fields);
    };
}
