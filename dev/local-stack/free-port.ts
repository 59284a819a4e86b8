import { createServer } from 'node:net';

// Ports are chosen here for a process that binds them later (a function, a gateway, a Kafka broker). Were they
// drawn from the OS's ephemeral range (bind to port 0), any server or outgoing connection opened meanwhile could
// be given the same port: a test's server then received another test's probes. Linux draws ephemeral ports from
// 32768-60999 and macOS from 49152-65535, so ports below 32768 are only ever taken by someone who names them.
const LOWEST = 20_000;
const COUNT = 12_000;

/** Whether nothing listens on `port` of 127.0.0.1 right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** `count` consecutive ports of 127.0.0.1 that nothing listens on, outside the ephemeral range; the first. */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = LOWEST + Math.floor(Math.random() * (COUNT - count));
    let free = true;
    for (let port = first; free && port < first + count; port++) free = await portIsFree(port);
    if (free) return first;
  }
  throw new Error(`No ${String(count)} consecutive free ports found from ${String(LOWEST)}`);
}

/** A port of 127.0.0.1 that nothing listens on right now, outside the ephemeral range. */
export function freePort(): Promise<number> {
  return freePorts(1);
}
