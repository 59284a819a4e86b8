// replay-dead-letters: GET /v1/dead-letters, POST /v1/dead-letters/{id}/replay and POST /v1/dead-letters/replay (in
// bulk), admins only.
import type { Logger } from '../../../shared/domain/logger';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { orderStores } from '../order-stores';
import { definition, listDeadLettersRoute, replayDeadLetterRoute, replayDeadLettersRoute } from './function';
import { listDeadLetters, replayDeadLetter, replayDeadLetters, type ReplayPorts } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { deadLetters } = orderStores(stores);
  const ports = async (logger: Logger): Promise<ReplayPorts> => ({
    letters: await deadLetters(),
    now: () => new Date(),
    logger,
  });
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
        return { status: 202, body: await replayDeadLetters(await ports(context.logger), context.body) };
      },
    }),
    defineRoute({
      route: replayDeadLetterRoute,
      async handle(context) {
        return { status: 202, body: await replayDeadLetter(await ports(context.logger), context.params.id) };
      },
    }),
  ];
});
