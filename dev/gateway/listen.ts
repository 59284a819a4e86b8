import type { Server } from 'node:net';

/**
 * Starts listening, and turns EADDRINUSE into an error that names the port: the usual cause is a stack already
 * running, which the bare Node error does not suggest.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const taken = `dev gateway: port ${port} on ${host} is already in use; stop what holds it or pick another port`;
      reject(error.code === 'EADDRINUSE' ? new Error(taken, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
