import type { CloudEvent } from 'cloudevents';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * The event with its JSON data parsed. cloudevents' CommonJS build (what a function bundle contains) leaves the
 * data of a binary-mode event a string when the content type carries a parameter (`application/json;
 * charset=utf-8`, what its own HTTP.binary sends), so parse it here. Throws a SyntaxError for malformed JSON.
 */
export function withJsonData(event: CloudEvent<unknown>): CloudEvent<unknown> {
  if (typeof event.data !== 'string' || !JSON_CONTENT_TYPE.test(event.datacontenttype ?? '')) return event;
  return event.cloneWith({ data: JSON.parse(event.data) as unknown }, false);
}
