// The user-grpc function's process: a plain gRPC server on Knative's h2c port, stopped gracefully on SIGTERM.
import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { loadConfig } from '../../../shared/config/load-config';
import { loadProto } from '../../../shared/grpc/load-proto';
import { startGrpcServer } from '../../../shared/grpc/start-grpc-server';
import { stopOnSignals } from '../../../shared/runtime/stop-on-signals';
import { createLogger } from '../../../shared/log/logger';
import { runShutdownHooks } from '../../../shared/runtime/shutdown';
import { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { definition } from './function';
import { userGrpcService } from './user-grpc-service';

async function main(): Promise<void> {
  const logger = createLogger(definition.name);
  const env = loadConfig(UserServiceEnv);
  const verify = authorizationVerifier(loadConfig(AccessTokenVerifierEnv));
  const service = userService(env, logger);
  const users = async () => (await service()).users;
  const proto = await loadProto('user.proto');
  const server = await startGrpcServer({
    services: [userGrpcService(proto, { users, verify, logger })],
    logger,
  });
  logger.info('listening', { port: server.port });
  stopOnSignals(
    async () => {
      await server.stop();
      await runShutdownHooks((name, error) => {
        logger.error(`closing ${name} failed`, { error });
      });
    },
    { logger },
  );
}

main().catch((error: unknown) => {
  createLogger(definition.name).error('the function failed to start', { error });
  process.exitCode = 1;
});
