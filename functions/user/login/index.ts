// The login function's process: config from the environment, then serve (see shared/runtime/start-function).
import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createLoginHandler } from './handler';

startFunction(definition, (logger) =>
  createLoginHandler(loadConfig(UserServiceEnv), loadConfig(AccessTokenSignerEnv), logger),
);
