import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { documentedMisfit } from './api-document';
import type { paths } from './openapi-types';

/** The end-to-end tests' client of the shop's API: typed from docs/openapi.yaml, every answer checked against it. */
export type ApiClient = Client<paths>;

/**
 * Checks each answer against the document (api-document.ts): its status is one the operation lists, and a JSON
 * body matches the schema documented for that status and media type. A misfit throws, so the call fails the test.
 */
const validatingMiddleware: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const text = await response.clone().text();
    const misfit = documentedMisfit(
      request.method,
      schemaPath,
      response.status,
      response.headers.get('content-type'),
      text,
    );
    if (misfit !== undefined) throw new Error(misfit);
    return undefined;
  },
};

/**
 * openapi-fetch hands `fetch` a Request of the global class (the undici bundled with Node). The gateway's fetch
 * (dev/gateway/trusting-fetch.ts) is the fetch of the npm undici, another major, which takes only a Request of its
 * own and reads any other as a URL ("Failed to parse URL from [object Request]"). So the request goes over as a URL
 * and an init, which every fetch takes.
 */
function sendingPlainly(fetch: typeof globalThis.fetch) {
  return async (request: Request): Promise<Response> => {
    const body = request.body === null ? undefined : await request.arrayBuffer();
    return fetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      redirect: request.redirect,
      ...(body === undefined ? {} : { body }),
    });
  };
}

/** A client of the gateway at `baseUrl`, through `fetch` (the gateway's, which trusts its certificate). */
export function apiClient(baseUrl: string, fetch: typeof globalThis.fetch): ApiClient {
  const client = createClient<paths>({ baseUrl, fetch: sendingPlainly(fetch) });
  client.use(validatingMiddleware);
  return client;
}
