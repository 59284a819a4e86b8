import type { OutgoingHttpHeaders } from 'node:http';

/** Characters of a plain origin; anything else makes Kong read the entry as a regex. */
export const PLAIN_ORIGIN = /^[A-Za-z0-9.:/-]+$/;

interface Normalized {
  readonly origin: string;
  readonly host: string;
}

/** Kong's normalize_origin: scheme://host[:port], default ports dropped. */
function normalize(value: string): Normalized {
  try {
    const url = new URL(value);
    // URL already drops :80 for http and :443 for https, as Kong does.
    return { origin: `${url.protocol}//${url.host}`, host: url.hostname };
  } catch {
    return { origin: value, host: value };
  }
}

type Matcher = (request: Normalized) => boolean;

/** An `origins` entry that Kong reads as a regex, as a JavaScript regex anchored at both ends. */
export function originRegex(entry: string): RegExp {
  const body = entry.startsWith('^') ? entry.slice(1) : entry;
  return new RegExp(`^(?:${body.endsWith('$') ? body.slice(0, -1) : body})$`);
}

/** One `origins` entry as Kong compares it: exact after normalizing, or a regex anchored at both ends. */
function matcherOf(entry: string): Matcher {
  // Without a ':' Kong compares a regex against the request's host only, not its scheme and port.
  const byHost = !entry.includes(':');
  if (PLAIN_ORIGIN.test(entry)) {
    const expected = normalize(entry).origin;
    return (request) => request.origin === expected;
  }
  const regex = originRegex(entry);
  return (request) => regex.test(byHost ? request.host : request.origin);
}

function addVary(headers: OutgoingHttpHeaders): void {
  const current = headers['vary'];
  const values = current === undefined ? [] : current.split(/\s*,\s*/);
  if (!values.includes('Origin')) headers['vary'] = [...values, 'Origin'].join(', ');
}

/**
 * Kong's configure_origin and configure_credentials: sets Access-Control-Allow-Origin (and -Credentials, Vary)
 * for a request whose Origin header is `requestOrigin`.
 */
export function originHeaders(
  origins: readonly string[],
  credentials: boolean,
): (headers: OutgoingHttpHeaders, requestOrigin: string | undefined) => void {
  const allowAll = origins.length === 0 || origins.includes('*');
  const matchers = allowAll ? [] : origins.map(matcherOf);
  const single = origins.length === 1 && origins[0] !== undefined && PLAIN_ORIGIN.test(origins[0]);
  return (headers, requestOrigin) => {
    if (allowAll) {
      headers['access-control-allow-origin'] = '*';
      // ACAC cannot go with '*': Kong reflects the request's origin instead.
      if (credentials && requestOrigin !== undefined) {
        addVary(headers);
        headers['access-control-allow-origin'] = requestOrigin;
        headers['access-control-allow-credentials'] = 'true';
      }
      return;
    }
    addVary(headers);
    if (single) {
      headers['access-control-allow-origin'] = origins[0];
    } else {
      const request = requestOrigin === undefined ? undefined : normalize(requestOrigin);
      if (request !== undefined && matchers.some((matches) => matches(request))) {
        headers['access-control-allow-origin'] = request.origin;
      } else {
        delete headers['access-control-allow-origin'];
      }
    }
    if (credentials) headers['access-control-allow-credentials'] = 'true';
  };
}
