import type { GatewayPlugin } from './gateway-plugin';
import type { PluginDeclaration } from './plugin-declaration';
import { correlationIdPlugin } from './plugins/correlation-id';
import { corsPlugin } from './plugins/cors';
import { jwtPlugin } from './plugins/jwt';
import { opentelemetryPlugin, type GatewayTracing } from './plugins/opentelemetry';
import type { JwtCredentialLookup } from './plugins/jwt-credentials';
import { rateLimitingPlugin } from './plugins/rate-limiting';
import { preFunctionPlugin } from './plugins/pre-function';
import { proxyCachePlugin, sharedDictionaries, type SharedDictionaries } from './plugins/proxy-cache';
import { requestSizeLimitingPlugin } from './plugins/request-size-limiting';
import { responseTransformerPlugin } from './plugins/response-transformer';
import { REQUEST_ID_HEADER } from '../../shared/runtime/request-id';

/** What plugins need from the rest of kong.yml. */
export interface PluginEnvironment {
  readonly jwtCredentials: JwtCredentialLookup;
  /** Where the opentelemetry plugin records its spans locally; without it, it only propagates. */
  readonly tracing?: GatewayTracing | undefined;
  /** Where proxy-cache keeps its entries: the gateway's shared dictionaries; without them, each instance its own. */
  readonly dictionaries?: SharedDictionaries;
}

/** One instance of a declared plugin, with its config already validated and defaulted by the config schema. */
export function createPlugin(declaration: PluginDeclaration, environment: PluginEnvironment): GatewayPlugin {
  switch (declaration.name) {
    case 'jwt':
      return jwtPlugin(declaration.config, environment.jwtCredentials);
    case 'rate-limiting':
      return rateLimitingPlugin(declaration.config);
    case 'request-size-limiting':
      return requestSizeLimitingPlugin(declaration.config);
    case 'correlation-id':
      return correlationIdPlugin(declaration.config);
    case 'cors':
      return corsPlugin(declaration.config);
    case 'pre-function':
      return preFunctionPlugin(declaration.config, REQUEST_ID_HEADER);
    case 'response-transformer':
      return responseTransformerPlugin(declaration.config);
    case 'opentelemetry':
      return opentelemetryPlugin(declaration.config, environment.tracing);
    case 'proxy-cache':
      return proxyCachePlugin(declaration.config, environment.dictionaries ?? sharedDictionaries());
  }
}
