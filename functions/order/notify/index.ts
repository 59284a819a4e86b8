// notify: CloudEvents in, notifications out. The CloudEvent runtime validates each delivery against the catalog and
// answers 204 when processed or a duplicate, 400 for an invalid event, 503 when a store or the mail server is down.
import type { z } from 'zod';
import type { EventDefinition } from '../../../events/event-definition';
import type { Logger } from '../../../shared/domain/logger';
import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderDelivered, OrderPaid } from '../../../events/order-events';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import { UserRegistered } from '../../../events/user-registered';
import { registerEvents } from '../../../shared/kit/register';
import { createSmtpMailer } from '../../../shared/mail/smtp-mailer';
import { lazyUserGrpcClient } from '../../../shared/grpc/user-grpc-client';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { NOTIFICATIONS } from '../service';
import { definition, NOTIFY_CONSUMER } from './function';
import { orderStores } from '../order-stores';
import type { OrderNotice } from './order-notifications';
import { notifyOrderStep, notifyUserRegistered } from './use-case';
import { userGrpcContacts } from './user-grpc-contacts';

registerEvents(definition, ({ config, stores, hooks, logger }) => {
  const userGrpc = lazyUserGrpcClient(config.USER_GRPC_ADDRESS, { logger, hooks });
  const contactOf = userGrpcContacts(userGrpc, config.INTERNAL_TOKEN);
  const mailer =
    config.SMTP_URL === undefined
      ? undefined
      : createSmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM }, hooks);
  const once = stores.oncePerEvent(NOTIFY_CONSUMER);
  const { orders } = orderStores(stores);
  // The first event opens both at once: the history store, and the user-grpc client (gRPC and its protos).
  const ports = async (logger: Logger) => {
    const [inbox] = await Promise.all([stores.history(NOTIFICATIONS), userGrpc()]);
    return { contactOf, inbox, mailer, once, logger };
  };
  /** An order's step, told to its customer; `at` is when the event says it happened. */
  const orderStep = <Data extends { readonly orderId: string }>(
    event: EventDefinition<z.ZodType<Data>>,
    notice: OrderNotice,
    at: (data: Data) => string,
  ) =>
    subscribe<Data>({
      event,
      handle: async ({ id, data }, { logger }) =>
        notifyOrderStep(
          { ...(await ports(logger)), orders: await orders() },
          { id, orderId: data.orderId, at: new Date(at(data)) },
          notice,
        ),
    });
  return [
    subscribe({
      event: UserRegistered,
      handle: async (event, { logger }) => notifyUserRegistered(await ports(logger), event),
    }),
    orderStep(OrderPlaced, 'placed', (data) => data.placedAt),
    orderStep(OrderPaid, 'paid', (data) => data.paidAt),
    orderStep(OrderShipped, 'shipped', (data) => data.shippedAt),
    orderStep(OrderDelivered, 'delivered', (data) => data.deliveredAt),
    orderStep(OrderCancelled, 'cancelled', (data) => data.cancelledAt),
  ];
});
