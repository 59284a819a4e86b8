import type { Trigger } from './function-definition';

/**
 * Requests that walk a function's request path without succeeding, for the code-cache rehearsal
 * (code-cache-warm-up.ts): an empty body fails validation, a token with a forged signature fails verification,
 * an event without its data is refused (a dead letter, whose data is never read, is counted: at build time, with
 * metrics off, that is a log line). Each still runs the router, the body reader, the token verifier, the
 * schemas and the error answers a first real request runs.
 */
export interface RehearsalRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** An ES256-shaped token whose signature cannot verify. */
const FORGED_TOKEN = [
  Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT' })).toString('base64url'),
  Buffer.from(JSON.stringify({ sub: 'rehearsal', exp: 4_102_444_800 })).toString('base64url'),
  Buffer.alloc(64, 1).toString('base64url'),
].join('.');

const ID = '00000000-0000-4000-8000-000000000000';

export function rehearsalRequests(trigger: Trigger): RehearsalRequest[] {
  switch (trigger.kind) {
    case 'http':
      return trigger.routes.map((route) => ({
        method: route.method,
        path: route.path.replace(/\{[^}]+\}/g, ID),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${FORGED_TOKEN}` },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      }));
    case 'cloudevent':
      return trigger.eventTypes.map((type) => cloudEventRequest(type));
    case 'dead-letters':
      // A dead letter as the KafkaSource delivers it, with Knative's extensions.
      return [
        cloudEventRequest('com.ecom.code-cache.rehearsed', {
          'ce-knativeerrordest': 'http://rehearsal.ecom.svc.cluster.local',
          'ce-knativeerrorcode': '500',
        }),
      ];
    case 'schedule':
      // What the PingSource sends; the relay then fails to reach its database (a closed port).
      return [{ method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{}' }];
    case 'grpc':
      return [];
  }
}

/** A binary-mode CloudEvent of `type` without its data. */
function cloudEventRequest(type: string, extensions: Record<string, string> = {}): RehearsalRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': ID,
      'ce-source': '/ecom/code-cache-rehearsal',
      'ce-type': type,
      ...extensions,
    },
    body: '{}',
  };
}

/** Sends the rehearsal requests to the function listening on `port`, one after the other; answers are ignored. */
export async function rehearse(trigger: Trigger, port: number): Promise<void> {
  for (const { method, path, headers, body } of rehearsalRequests(trigger)) {
    await fetch(`http://127.0.0.1:${String(port)}${path}`, { method, headers, ...(body ? { body } : {}) })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
  }
}
