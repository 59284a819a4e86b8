// replay-dead-letters: GET /v1/dead-letters, POST /v1/dead-letters/{id}/replay and POST /v1/dead-letters/replay (in
// bulk), admins only.
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { definition, listDeadLettersRoute, replayDeadLetterRoute, replayDeadLettersRoute } from './function';
import { listDeadLetters, replayDeadLetter, replayDeadLetters } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { deadLetters } = orderStores(stores);
  return [
    defineRoute({
      route: listDeadLettersRoute,
      async handle(context) {
        return { status: 200, body: await listDeadLetters(await deadLetters(), context.query) };
      },
    }),
    defineRoute({
      route: replayDeadLettersRoute,
      async handle(context) {
        const ports = { letters: await deadLetters(), now: () => new Date(), logger: context.logger };
        return { status: 202, body: await replayDeadLetters(ports, context.body) };
      },
    }),
    defineRoute({
      route: replayDeadLetterRoute,
      async handle(context) {
        const ports = { letters: await deadLetters(), now: () => new Date(), logger: context.logger };
        return { status: 202, body: await replayDeadLetter(ports, context.params.id) };
      },
    }),
  ];
});
