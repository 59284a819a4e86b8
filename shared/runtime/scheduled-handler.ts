import type { HttpFunction } from '@google-cloud/functions-framework';
import type { Logger } from '../log/logger';
import { defineRoute, httpHandler } from './http-function';

/**
 * The handler of a function run on a schedule: a PingSource POSTs a CloudEvent to it, and each ping runs `job` once.
 * 204 when it ran; a failure answers through the one error mapping (a 5xx for a store that is down), so the ping is
 * delivered again and the failure shows in the logs.
 */
export function scheduledHandler(job: () => Promise<void>, logger: Logger): HttpFunction {
  return httpHandler({
    logger,
    routes: [
      defineRoute({
        route: {
          method: 'POST',
          path: '/',
          auth: 'public',
          summary: 'Runs the job once (a PingSource ping).',
          responses: { 204: { description: 'The job ran.' } },
        },
        async handle() {
          await job();
          return { status: 204 };
        },
      }),
    ],
  });
}
