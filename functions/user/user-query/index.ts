// The user-query function's process: config from the environment, then serve.
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createUserQueryHandler } from './handler';

startFunction(definition, (logger) =>
  createUserQueryHandler(loadConfig(UserServiceEnv), loadConfig(AccessTokenVerifierEnv), logger),
);
