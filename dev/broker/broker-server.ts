import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemAnswer, send } from './broker-routes';

/** The broker's HTTP server: listening from the start, serving once `serve` hands it the routes. */
export interface BrokerServer {
  /** `http://host:port`. */
  readonly url: string;
  serve(routes: RequestListener): void;
  close(): Promise<void>;
}

/**
 * Takes the port first, so a second stack fails fast with a clear message; until `serve` is called every request
 * gets a 503, which publishers retry, rather than an event being accepted before the Triggers are live.
 */
export async function startBrokerServer(port: number, host: string): Promise<BrokerServer> {
  let routes: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (routes) {
      routes(req, res);
      return;
    }
    send(res, problemAnswer(503, 'BROKER.STARTING', 'The dev broker is starting; send the event again.'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const taken = error.code === 'EADDRINUSE';
      const message = `The dev broker cannot listen on ${host}:${port}: the port is taken (is another stack running?)`;
      reject(taken ? new Error(message, { cause: error }) : error);
    });
    server.listen(port, host, resolve);
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}`,
    serve(listener) {
      routes = listener;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
