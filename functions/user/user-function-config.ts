import type { FunctionDefinition } from '../../shared/runtime/function-definition';

/** The environment every user-service function reads (UserServiceEnv), by where it comes from on the cluster. */
export const USER_SERVICE_CONFIG: FunctionDefinition['config'] = {
  env: [
    'DB_DIALECT',
    'MYSQL_HOST',
    'MYSQL_PORT',
    'MYSQL_USER',
    'MYSQL_DATABASE',
    'KAFKA_BROKERS',
    'EVENTS_TOPIC',
    'ADMIN_EMAIL',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'JWT_PUBLIC_KEY',
    'LOG_LEVEL',
  ],
  secrets: ['MYSQL_PASSWORD', 'ADMIN_PASSWORD'],
};
