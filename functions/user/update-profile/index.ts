// The update-profile function's process: config from the environment, then serve.
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createUpdateProfileHandler } from './handler';

startFunction(definition, (logger) =>
  createUpdateProfileHandler(loadConfig(UserServiceEnv), loadConfig(AccessTokenVerifierEnv), logger),
);
