import { requestHeader, type GatewayRequest } from '../gateway-plugin';
import type { JwtConfig } from './jwt-config';

const BEARER = /\s*[Bb]earer\s+(.+)/;

function cookies(req: GatewayRequest): Map<string, string> {
  const jar = new Map<string, string>();
  for (const pair of (requestHeader(req, 'cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return jar;
}

/**
 * Kong's retrieve_tokens: every distinct non-empty token from the query parameters, the cookies and the
 * `Bearer` of the headers the config names. More than one distinct token is Kong's "Multiple tokens provided".
 */
export function tokensOf(req: GatewayRequest, query: URLSearchParams, config: JwtConfig): Set<string> {
  const tokens = new Set<string>();
  const add = (token: string | undefined) => {
    if (token !== undefined && token !== '') tokens.add(token);
  };
  for (const name of config.uri_param_names) query.getAll(name).forEach(add);
  if (config.cookie_names.length > 0) {
    const jar = cookies(req);
    for (const name of config.cookie_names) add(jar.get(name));
  }
  for (const name of config.header_names) {
    add(BEARER.exec(requestHeader(req, name.toLowerCase()) ?? '')?.[1]);
  }
  return tokens;
}
