import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { configOf } from '../../../shared/runtime/config-declaration';
import { ORDER_SERVICE_SECRETS } from '../order-config';
import { OrderQueryEnv } from './order-query-config';

/** The caller's own notification inbox, newest first, by page. */
export const LIST_NOTIFICATIONS_ROUTE: HttpRoute = {
  method: 'GET',
  path: '/v1/notifications',
  auth: 'authenticated',
};

/** order-query: the order service's reads over HTTP (for now the notification inbox). */
export const definition: FunctionDefinition = {
  name: 'order-query',
  service: 'order',
  description: "The order service's reads: a customer's notification inbox.",
  trigger: { kind: 'http', routes: [LIST_NOTIFICATIONS_ROUTE] },
  scaling: DEFAULT_SCALING,
  resources: DEFAULT_RESOURCES,
  config: configOf([OrderQueryEnv], ORDER_SERVICE_SECRETS),
};
