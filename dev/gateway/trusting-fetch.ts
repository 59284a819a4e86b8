import { createSecureContext } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * At most this many connections to one origin, as a browser keeps a few: a test that sends 200 requests at once
 * otherwise makes 200 TLS handshakes at once, each costing the gateway (in the same process) a few milliseconds.
 */
const MAX_CONNECTIONS_PER_ORIGIN = 32;

/** undici's 10 s covers the TLS handshake too, which a laptop busy with 32 functions can stretch. */
const CONNECT_TIMEOUT_MS = 30_000;

/** A fetch whose HTTPS connections trust `ca` (PEM) besides the usual roots; close() ends its connections. */
export interface TrustingFetch {
  readonly fetch: typeof fetch;
  close(): Promise<void>;
}

/**
 * fetch for a server with a certificate of its own (the dev gateway's): undici's own fetch with an Agent that
 * trusts it. Not Node's global fetch with a `dispatcher`: that fetch is the undici bundled with Node (6 on Node 20,
 * 7 on Node 24), and an Agent of another major is not guaranteed to speak its dispatcher protocol.
 */
export function trustingFetch(ca: string): TrustingFetch {
  const dispatcher = new Agent({
    // One context for every connection, rather than one built from `ca` per connection.
    connect: { secureContext: createSecureContext({ ca }), timeout: CONNECT_TIMEOUT_MS },
    connections: MAX_CONNECTIONS_PER_ORIGIN,
  });
  const fetchWithCa = (input: string | URL | Request, init?: RequestInit) =>
    // undici's Request, Response and RequestInit are the classes Node's global ones are made from; the types
    // differ only by the undici version each was declared for, so this is the one place they are bridged.
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
  return { fetch: fetchWithCa, close: () => dispatcher.close() };
}
