import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';

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
  config: {
    env: [
      'LOG_LEVEL',
      'NODE_ENV',
      'DB_DIALECT',
      'MYSQL_HOST',
      'MYSQL_PORT',
      'MYSQL_USER',
      'MYSQL_DATABASE',
      'SQLITE_DIR',
      'HISTORY_BACKEND',
      'CASSANDRA_CONTACT_POINTS',
      'CASSANDRA_LOCAL_DC',
      'CASSANDRA_KEYSPACE',
      'CASSANDRA_REPLICATION_FACTOR',
      'JWT_PUBLIC_KEY',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
    ],
    secrets: ['MYSQL_PASSWORD'],
  },
};
