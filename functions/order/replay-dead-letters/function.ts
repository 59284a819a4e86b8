import { defineFunction } from '../../../shared/kit/function-definition';
import { pageOf } from '../../../shared/domain/pagination';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { orderService } from '../service';
import {
  DeadLetterIdParams,
  DeadLetterQuery,
  DeadLetterView,
  REPLAY_BATCH,
  ReplayedLetters,
  ReplayFilter,
} from './use-case';

/** The dead letters kept, for an operator. */
export const listDeadLettersRoute = httpRoute({
  method: 'GET',
  path: '/v1/dead-letters',
  auth: 'admin',
  summary:
    'Every event the broker gave up delivering in the last 14 days, newest first, paged: by subscriber, type, and whether it was published again since.',
  query: DeadLetterQuery,
  responses: { 200: { description: 'A page of dead letters.', body: pageOf(DeadLetterView) } },
});

/** An operator publishes a dead letter's event again, once its subscriber can take it. */
export const replayDeadLetterRoute = httpRoute({
  method: 'POST',
  path: '/v1/dead-letters/{id}/replay',
  auth: 'admin',
  summary:
    "Publishes a dead letter's event again, as it was: every function subscribed to its type gets it, and those that took it before ignore it.",
  params: DeadLetterIdParams,
  responses: { 202: { description: 'The dead letter, published again.', body: DeadLetterView } },
  problems: {
    404: ['DEAD_LETTER.NOT_FOUND'],
    409: ['DEAD_LETTER.NOT_PENDING', 'DEAD_LETTER.NOT_REPLAYABLE'],
  },
});

/** An operator publishes again every pending letter of a function, or of a type, once it can take them. */
export const replayDeadLettersRoute = httpRoute({
  method: 'POST',
  path: '/v1/dead-letters/replay',
  auth: 'admin',
  summary: `Publishes again, oldest first, up to ${String(REPLAY_BATCH)} pending dead letters of a subscriber, a type or both that can be; the answer says how many are left.`,
  body: ReplayFilter,
  responses: { 202: { description: 'The letters published again.', body: ReplayedLetters } },
});

export const definition = defineFunction({
  name: 'replay-dead-letters',
  service: orderService,
  description:
    "Admins list the events the broker gave up delivering (kept by count-dead-letters for 14 days) and publish them again, one or a subscriber's in bulk, as they were, through the order service's outbox: the function that could not take one gets it again, and those that took it ignore it.",
  trigger: { kind: 'http', routes: [listDeadLettersRoute, replayDeadLetterRoute, replayDeadLettersRoute] },
  uses: { database: true, events: 'replay' },
  capacity: {
    concurrency: 16,
    throughput: 731,
    p99Ms: 46.8,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only replay-dead-letters',
    measuredOn: '2026-12-04',
  },
  scaling: { maxScale: 1 },
});
