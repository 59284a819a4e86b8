// The refresh-token function's process: config from the environment, then serve.
import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createRefreshHandler } from './handler';

startFunction(definition, (logger) =>
  createRefreshHandler(loadConfig(UserServiceEnv), loadConfig(AccessTokenSignerEnv), logger),
);
