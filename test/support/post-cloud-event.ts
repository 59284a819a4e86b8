import { HTTP, type CloudEvent } from 'cloudevents';

/** POSTs one CloudEvent to a function, as the broker delivers it: binary mode (headers) unless asked for structured. */
export function postCloudEvent(
  url: string,
  event: CloudEvent<unknown>,
  mode: 'binary' | 'structured' = 'binary',
): Promise<Response> {
  const message = HTTP[mode](event);
  return fetch(url, {
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
  });
}
