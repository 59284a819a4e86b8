import type { Server as HttpServer } from 'node:http';
import type { Http2Server, ServerHttp2Session } from 'node:http2';
import { createServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { GatewayTls } from './gateway-certificate';

/** The gateway's HTTPS port: TLS, then each connection handed to the server of the protocol it agreed on. */
export interface TlsListener {
  readonly server: TlsServer;
  /** Stops accepting and ends every connection, of either protocol. */
  close(): Promise<void>;
}

/**
 * The protocol a connection gets (ALPN). Kong's HTTPS port serves HTTP/1.1 and HTTP/2 alike; here HTTP/2 is given
 * only to a client that offers nothing else, as every gRPC client does, so that curl, browsers and fetch (which
 * offer both) keep HTTP/1.1, which the HTTP pipeline serves. A client that offers neither is refused.
 */
export function chooseProtocol(offered: readonly string[]): string | undefined {
  if (offered.includes('http/1.1')) return 'http/1.1';
  return offered.includes('h2') ? 'h2' : undefined;
}

/**
 * Terminates TLS for both servers: a connection that agreed on h2 goes to `http2` (a cleartext HTTP/2 server, given
 * the decrypted socket), any other (HTTP/1.1, or no ALPN at all) to `http1`. Both servers take a connection through
 * their 'connection' event, which Node documents for injecting one. Neither listens itself, so `http1` arms no
 * headersTimeout or requestTimeout (Node arms them on listening); keep-alive's idle timeout still applies. A gateway
 * on the developer's own machine does without them; Kong in the cluster has nginx's.
 */
export function tlsListener(
  tls: GatewayTls,
  servers: { http1: HttpServer; http2: Http2Server },
): TlsListener {
  // An HTTP server that did not listen itself tracks no connections (closeAllConnections would miss them): these do.
  const sockets = new Set<TLSSocket>();
  const sessions = new Set<ServerHttp2Session>();
  servers.http2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const server = createServer({
    key: tls.key,
    cert: tls.cert,
    ALPNCallback: ({ protocols }) => chooseProtocol(protocols),
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    (socket.alpnProtocol === 'h2' ? servers.http2 : servers.http1).emit('connection', socket);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
