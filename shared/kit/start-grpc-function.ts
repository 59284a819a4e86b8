import { startGrpcServer } from '../grpc/start-grpc-server';
import type { Logger } from '../log/logger';
import type { FunctionInstance } from './function-instance';

/** A gRPC sidecar being served. */
export interface RunningGrpcFunction {
  /** The port bound (the one asked for, or a free one for port 0). */
  readonly port: number;
  /**
   * Stops the server gracefully (health NOT_SERVING, new calls refused, running calls given `graceMs`), then closes
   * what the function opened. Calling it again returns the same promise.
   */
  readonly stop: (graceMs: number) => Promise<void>;
}

/**
 * Serves a gRPC function (a sidecar) built by the kit: its services and the health service on `host:port`. The one way
 * a sidecar starts and stops: the process entry (start-function.ts) and the tests (test/support/functions.ts) both
 * come through here.
 */
export async function startGrpcFunction(
  instance: FunctionInstance,
  options: { readonly logger: Logger; readonly port: number; readonly host: string },
): Promise<RunningGrpcFunction> {
  const { serves, definition } = instance;
  if (serves.kind !== 'grpc') throw new Error(`${definition.name} is not a gRPC function`);
  const server = await startGrpcServer({ services: serves.services, ...options });
  let stopping: Promise<void> | undefined;
  return {
    port: server.port,
    stop: (graceMs) =>
      (stopping ??= (async () => {
        await server.stop(graceMs);
        await instance.close();
      })()),
  };
}
