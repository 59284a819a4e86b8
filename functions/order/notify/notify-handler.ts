import type { HttpFunction } from '@google-cloud/functions-framework';
import { UserRegistered } from '../../../events/user-registered';
import type { Logger } from '../../../shared/log/logger';
import { cloudEventHandler, subscribe } from '../../../shared/runtime/cloud-event-function';
import type { NotifyDependencies } from './notify-dependencies';
import { notifyUserRegistered } from './notify-use-case';

/**
 * notify's functions-framework handler: the CloudEvent runtime validates each delivery against the catalog and
 * maps the outcome (204 processed or duplicate, 400 invalid, 503 when a store or the mail server is unavailable).
 */
export function createNotifyHandler(deps: NotifyDependencies, logger: Logger): HttpFunction {
  return cloudEventHandler({
    logger,
    subscriptions: [
      subscribe({
        event: UserRegistered,
        handle: async (event, context) =>
          notifyUserRegistered(
            {
              inbox: await deps.notifications(),
              mailer: deps.mailer,
              once: deps.once,
              logger: context.logger,
            },
            event,
          ),
      }),
    ],
  });
}
