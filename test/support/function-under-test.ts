import type { AddressInfo } from 'node:net';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { createLogger } from '../../shared/log/logger';
import { createFunctionServer } from '../../shared/runtime/function-server';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../shared/runtime/read-body';
import { uniqueName } from './unique-name';

/** A function served by functions-framework on an ephemeral port, as its process would serve it. */
export interface FunctionUnderTest {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveFunction(
  handler: HttpFunction,
  options: { bodyLimitBytes?: number } = {},
): Promise<FunctionUnderTest> {
  const server = createFunctionServer(uniqueName('fn'), handler, {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    logger: createLogger('test-function', { level: 'silent' }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
