// The register function's process: config from the environment, then serve (see shared/runtime/start-function).
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { definition } from './function';
import { createRegisterHandler } from './handler';

startFunction(definition, (logger) => createRegisterHandler(loadConfig(UserServiceEnv), logger));
