// notify: CloudEvents in, notifications out. The CloudEvent runtime validates each delivery against the catalog and
// answers 204 when processed or a duplicate, 400 for an invalid event, 503 when a store or the mail server is down.
import { UserRegistered } from '../../../events/user-registered';
import { registerEvents } from '../../../shared/kit/register';
import { createSmtpMailer } from '../../../shared/mail/smtp-mailer';
import { lazyUserGrpcClient } from '../../../shared/grpc/user-grpc-client';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { NOTIFICATIONS } from '../service';
import { definition, NOTIFY_CONSUMER } from './function';
import { notifyUserRegistered } from './use-case';
import { userGrpcContacts } from './user-grpc-contacts';

registerEvents(definition, ({ config, stores, hooks, logger }) => {
  const userGrpc = lazyUserGrpcClient(config.USER_GRPC_ADDRESS, { logger, hooks });
  const contactOf = userGrpcContacts(userGrpc, config.INTERNAL_TOKEN);
  const mailer =
    config.SMTP_URL === undefined
      ? undefined
      : createSmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM }, hooks);
  const once = stores.oncePerEvent(NOTIFY_CONSUMER);
  return [
    subscribe({
      event: UserRegistered,
      handle: async (event, { logger }) => {
        // The first event opens both at once: the history store, and the user-grpc client (gRPC and its protos).
        const [inbox] = await Promise.all([stores.history(NOTIFICATIONS), userGrpc()]);
        return notifyUserRegistered({ contactOf, inbox, mailer, once, logger }, event);
      },
    }),
  ];
});
