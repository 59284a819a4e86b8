import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../config/load-config';
import { createLogger, type Logger } from '../log/logger';
import { startMetrics } from '../metrics/start-metrics';
import { warmUpForCodeCache, writingCodeCache } from '../runtime/code-cache-warm-up';
import { rehearse } from '../runtime/rehearsal-requests';
import { RuntimeEnv } from '../runtime/runtime-env';
import { runShutdownHooks } from '../runtime/shutdown';
import { stopOnSignals } from '../runtime/stop-on-signals';
import { startTracing } from '../tracing/start-tracing';
import { createFunctionInstance, type FunctionInstance } from './function-instance';
import { registeredFunction } from './register';

/**
 * The process entry of a function (its bundle calls it after importing the function's index.ts): builds the
 * function from the environment (a bad value stops the process here with a clear message), starts tracing and metrics
 * when the OTEL_* settings ask for them (shared/tracing/start-tracing.ts, shared/metrics/start-metrics.ts; the spans
 * still batched and the last metrics are flushed at stop), serves it on LISTEN_HOST:PORT
 * (functions-framework for HTTP and CloudEvents; a sidecar by startGrpcFunction, on Knative's h2c port), and on
 * SIGTERM stops accepting, lets in-flight requests finish within the grace period, closes its stores, and exits.
 * functions-framework has no graceful shutdown of its own.
 */
export async function startFunction(name: string): Promise<void> {
  const logger = createLogger(name);
  let env: RuntimeEnv;
  let instance: FunctionInstance;
  try {
    env = loadConfig(RuntimeEnv);
    const registered = registeredFunction(name);
    // Before the function is built, so that everything it does is traced and measured; both off by default
    // (tracing-env.ts, metrics-env.ts).
    const names = { functionName: name, serviceName: registered.definition.service.name };
    await startTracing(names);
    await startMetrics(names);
    instance = await createFunctionInstance(registered, {
      logger,
      checkContract: env.CONTRACT_CHECKS === 'on',
    });
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : 'the function failed to start', { error });
    process.exitCode = 1;
    return;
  }
  const runProcessHooks = () =>
    runShutdownHooks((hook, error) => {
      logger.error(`closing ${hook} failed`, { error });
    });
  if (instance.serves.kind === 'grpc') {
    const { startGrpcFunction } = await import('./start-grpc-function');
    const sidecar = await startGrpcFunction(instance, { logger, port: env.PORT, host: env.LISTEN_HOST });
    stopOnSignals(
      async () => {
        await sidecar.stop(env.SHUTDOWN_GRACE_MS);
        await runProcessHooks();
      },
      { logger },
    );
    return;
  }
  const { createFunctionServer } = await import('../runtime/function-server');
  const server = createFunctionServer(name, instance.serves.handler, {
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    logger,
  });
  listen(server, instance, env, logger);
  stopOnSignals(
    async () => {
      await closeServer(server, env.SHUTDOWN_GRACE_MS);
      await instance.close();
      await runProcessHooks();
      logger.info('stopped');
    },
    { logger },
  );
}

function listen(server: Server, instance: FunctionInstance, env: RuntimeEnv, logger: Logger): void {
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.error(error.code === 'EADDRINUSE' ? `port ${env.PORT} is already in use` : 'server error', {
      error,
    });
    process.exit(1);
  });
  server.listen(env.PORT, env.LISTEN_HOST, () => {
    logger.info('listening', { host: env.LISTEN_HOST, port: env.PORT });
    if (writingCodeCache()) {
      const { port } = server.address() as AddressInfo;
      warmUpForCodeCache(() => rehearse(instance.definition.trigger, port));
    }
  });
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
