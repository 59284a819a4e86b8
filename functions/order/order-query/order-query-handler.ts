import type { HttpFunction } from '@google-cloud/functions-framework';
import type { Logger } from '../../../shared/log/logger';
import { httpHandler } from '../../../shared/runtime/http-function';
import { notificationsRoute } from './notifications-route';
import type { OrderQueryDependencies } from './order-query-dependencies';

/** order-query's functions-framework handler: its routes, each authenticated as its declaration says. */
export function createOrderQueryHandler(deps: OrderQueryDependencies, logger: Logger): HttpFunction {
  return httpHandler({ routes: [notificationsRoute(deps)], verify: deps.verify, logger });
}
