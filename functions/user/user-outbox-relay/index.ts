// The user service's outbox relay: run by a PingSource, publishes what the outbox still holds.
import { loadConfig } from '../../../shared/config/load-config';
import { relayHandler } from '../../../shared/outbox/relay-handler';
import { startFunction } from '../../../shared/runtime/start-function';
import { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { definition } from './function';

startFunction(definition, (logger) => {
  const service = userService(loadConfig(UserServiceEnv), logger);
  return relayHandler(async () => (await service()).relay(), logger);
});
