import type { HttpFunction } from '@google-cloud/functions-framework';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { createLogger } from '../../shared/log/logger';
import type { FunctionDefinition } from '../../shared/runtime/function-definition';
import { compilePath } from '../../shared/runtime/route-matcher';
import { runShutdownHooks } from '../../shared/runtime/shutdown';
import { serviceSqlTarget } from '../../shared/sql/service-database';
import { createConnection } from 'mysql2/promise';
import { UserServiceEnv } from '../../functions/user/user-config';
import { definition as changeRole } from '../../functions/user/change-role/function';
import { createChangeRoleHandler } from '../../functions/user/change-role/handler';
import { definition as login } from '../../functions/user/login/function';
import { createLoginHandler } from '../../functions/user/login/handler';
import { definition as logout } from '../../functions/user/logout/function';
import { createLogoutHandler } from '../../functions/user/logout/handler';
import { definition as refresh } from '../../functions/user/refresh-token/function';
import { createRefreshHandler } from '../../functions/user/refresh-token/handler';
import { definition as register } from '../../functions/user/register/function';
import { createRegisterHandler } from '../../functions/user/register/handler';
import { definition as updateProfile } from '../../functions/user/update-profile/function';
import { createUpdateProfileHandler } from '../../functions/user/update-profile/handler';
import { definition as userQuery } from '../../functions/user/user-query/function';
import { createUserQueryHandler } from '../../functions/user/user-query/handler';
import { serveFunction, type FunctionUnderTest } from './function-under-test';
import { ensureTopic, testKafka } from './kafka-fixture';
import { uniqueName } from './unique-name';

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-for-tests' } as const;

/** The user service's HTTP functions, each served by functions-framework on its own port, over real MariaDB. */
export interface UserFunctions {
  readonly env: UserServiceEnv;
  /** Sends a request to the function whose route matches, as the gateway would. */
  call(method: string, path: string, options?: { body?: unknown; token?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startUserFunctions(overrides: Record<string, string> = {}): Promise<UserFunctions> {
  const env = loadConfig(UserServiceEnv, {
    ...process.env,
    MYSQL_DATABASE: uniqueName('test_user'),
    EVENTS_TOPIC: uniqueName('test-events'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...overrides,
  });
  await ensureTopic(testKafka(env.KAFKA_BROKERS), env.EVENTS_TOPIC);
  const auth = loadConfig(AccessTokenSignerEnv, {});
  const logger = createLogger('user-functions', { level: 'silent' });
  const handlers: [FunctionDefinition, HttpFunction][] = [
    [register, createRegisterHandler(env, logger)],
    [login, createLoginHandler(env, auth, logger)],
    [refresh, createRefreshHandler(env, auth, logger)],
    [logout, createLogoutHandler(env, auth, logger)],
    [updateProfile, createUpdateProfileHandler(env, auth, logger)],
    [changeRole, createChangeRoleHandler(env, auth, logger)],
    [userQuery, createUserQueryHandler(env, auth, logger)],
  ];
  const served: { definition: FunctionDefinition; fn: FunctionUnderTest }[] = [];
  for (const [definition, handler] of handlers) served.push({ definition, fn: await serveFunction(handler) });

  const routes = served.flatMap(({ definition, fn }) =>
    definition.trigger.kind === 'http'
      ? definition.trigger.routes.map((route) => ({ route, pattern: compilePath(route.path), url: fn.url }))
      : [],
  );
  return {
    env,
    call(method, path, options = {}) {
      const pathname = path.split('?')[0] ?? path;
      const target = routes.find((r) => r.route.method === method && r.pattern.match(pathname));
      if (!target) throw new Error(`no function serves ${method} ${pathname}`);
      const headers: Record<string, string> = {};
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      return fetch(`${target.url}${path}`, {
        method,
        headers,
        ...(options.body !== undefined
          ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
          : {}),
      });
    },
    async close() {
      await Promise.all(served.map(({ fn }) => fn.close()));
      // What SIGTERM does in a function's process: close pools and producers.
      await runShutdownHooks(() => undefined);
      await dropDatabase(env);
    },
  };
}

async function dropDatabase(env: UserServiceEnv): Promise<void> {
  const target = serviceSqlTarget(env, 'user');
  if (target.dialect !== 'mysql') return;
  const connection = await createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  await connection.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  await connection.end();
}
