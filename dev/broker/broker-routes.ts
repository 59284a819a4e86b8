import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';
import { isAppError } from '../../shared/errors/app-error';
import type { Logger } from '../../shared/log/logger';
import { problem, problemFor, PROBLEM_CONTENT_TYPE, type Problem } from '../../shared/runtime/http-problem';
import { readBody } from '../../shared/runtime/read-body';
import type { BrokerLog } from './broker-log';

// Kafka's default largest record is 1 MB: a bigger event could not be appended anyway.
const BODY_LIMIT_BYTES = 1024 * 1024;

/** An HTTP answer: a status and a JSON body (a problem document for errors). */
interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * The broker's HTTP routes. `POST /<namespace>/<broker>` is Knative's broker ingress (what K_SINK points to): one
 * CloudEvent in binary or structured mode, validated, appended to the log, 202. `GET /dead-letters` lists the
 * dead letters as JSON; `GET /healthz` answers 200.
 */
export function brokerRoutes(options: {
  ingressPath: string;
  log: BrokerLog;
  logger: Logger;
}): RequestListener {
  const { ingressPath, log, logger } = options;
  const route = async (req: IncomingMessage): Promise<Answer> => {
    const path = new URL(req.url ?? '/', 'http://broker').pathname;
    if (path === ingressPath) {
      if (req.method !== 'POST') return problemAnswer(405, 'BROKER.METHOD', 'Send events with POST.');
      const event = parseEvent(req, (await readBody(req, BODY_LIMIT_BYTES)).raw);
      if (!(event instanceof CloudEvent)) return { status: event.status, body: event };
      try {
        await log.append([event]);
      } catch (error) {
        logger.error('could not append an event to the broker log', { eventId: event.id, error });
        return problemAnswer(503, 'BROKER.UNAVAILABLE', 'The broker log is not available; send it again.');
      }
      logger.debug('event accepted', { eventId: event.id, eventType: event.type });
      return { status: 202 };
    }
    if (path === '/dead-letters' && req.method === 'GET')
      return { status: 200, body: await log.deadLetters() };
    if (path === '/healthz' && req.method === 'GET') return { status: 200, body: { status: 'ok' } };
    return problemAnswer(404, 'BROKER.NOT_FOUND', `No broker at ${path}; events go to ${ingressPath}.`);
  };
  return (req, res) => {
    void route(req)
      .catch((error: unknown): Answer => {
        // AppErrors are the caller's fault (413, malformed JSON); anything else is the broker's.
        if (!isAppError(error)) logger.error('broker request failed', { path: req.url, error });
        const body = problemFor(error);
        return { status: body.status, body };
      })
      .then((answer) => {
        send(res, answer);
      });
  };
}

/** Writes an answer; problem documents get their own content type. */
export function send(res: ServerResponse, answer: Answer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  const type = answer.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json';
  res.writeHead(answer.status, { 'content-type': type }).end(JSON.stringify(answer.body));
}

export function problemAnswer(status: number, code: string, detail: string): Answer {
  return { status, body: problem(status, code, detail) };
}

/** The event, or the 400 problem that explains why the request does not carry one valid CloudEvent. */
function parseEvent(req: IncomingMessage, raw: Buffer): CloudEvent<unknown> | Problem {
  try {
    const parsed = HTTP.toEvent<unknown>({ headers: req.headers, body: raw.toString('utf8') });
    if (!(parsed instanceof CloudEvent)) {
      return problem(400, 'EVENT.BATCH_UNSUPPORTED', 'Send one CloudEvent per request.');
    }
    // HTTP.toEvent does not validate: an event missing required attributes must still be refused.
    parsed.validate();
    return parsed;
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'not a CloudEvent';
    return problem(400, 'EVENT.INVALID', `Not a valid CloudEvent: ${detail}`);
  }
}
