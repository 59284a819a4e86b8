// replay-dead-letters: GET /v1/dead-letters and POST /v1/dead-letters/{id}/replay, admins only.
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { definition, listDeadLettersRoute, replayDeadLetterRoute } from './function';
import { listDeadLetters, replayDeadLetter } from './use-case';

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
      route: replayDeadLetterRoute,
      async handle(context) {
        const ports = { letters: await deadLetters(), now: () => new Date(), logger: context.logger };
        return { status: 202, body: await replayDeadLetter(ports, context.params.id) };
      },
    }),
  ];
});
