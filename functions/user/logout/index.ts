// The logout function's process: config from the environment, then serve.
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createLogoutHandler } from './handler';

startFunction(definition, (logger) =>
  createLogoutHandler(loadConfig(UserServiceEnv), loadConfig(AccessTokenVerifierEnv), logger),
);
