import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { ConfigError, loadConfig } from '../config/load-config';
import { createLogger, type Logger } from '../log/logger';
import type { FunctionDefinition } from './function-definition';
import { warmUpForCodeCache, writingCodeCache } from './code-cache-warm-up';
import { createFunctionServer } from './function-server';
import { rehearse } from './rehearsal-requests';
import { RuntimeEnv } from './runtime-env';
import { runShutdownHooks } from './shutdown';
import { stopOnSignals } from './stop-on-signals';

/**
 * The process entry of an HTTP or CloudEvent function: builds the handler (which reads its config: a bad value
 * stops the process here with a clear message), serves it on PORT, and on SIGTERM stops accepting, lets in-flight
 * requests finish within the grace period, closes pools and producers, and exits. functions-framework has no
 * graceful shutdown of its own.
 */
export function startFunction(
  definition: FunctionDefinition,
  createHandler: (logger: Logger) => HttpFunction,
): Server | undefined {
  const logger = createLogger(definition.name);
  let server: Server;
  let env: RuntimeEnv;
  try {
    env = loadConfig(RuntimeEnv);
    server = createFunctionServer(definition.name, createHandler(logger), {
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      logger,
    });
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : 'the function failed to start', { error });
    process.exitCode = 1;
    return undefined;
  }
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.error(error.code === 'EADDRINUSE' ? `port ${env.PORT} is already in use` : 'server error', {
      error,
    });
    process.exit(1);
  });
  server.listen(env.PORT, () => {
    logger.info('listening', { port: env.PORT });
    if (writingCodeCache()) {
      const { port } = server.address() as AddressInfo;
      warmUpForCodeCache(() => rehearse(definition.trigger, port));
    }
  });
  stopOnSignals(
    async () => {
      await closeServer(server, env.SHUTDOWN_GRACE_MS);
      await runShutdownHooks((name, error) => {
        logger.error(`closing ${name} failed`, { error });
      });
      logger.info('stopped');
    },
    { logger },
  );
  return server;
}

/** Stops accepting, lets in-flight requests finish within `graceMs`, then cuts the connections left. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      server.closeAllConnections();
    }, graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
