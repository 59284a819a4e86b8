import type { GatewayExit, GatewayPlugin, RequestContext } from '../gateway-plugin';
import type { JwtConfig } from './jwt-config';
import type { JwtCredential, JwtCredentialLookup } from './jwt-credentials';
import { decodeJwt, hasValidSignature, registeredClaimErrors } from './jwt-token';
import { tokensOf } from './jwt-token-source';

/** Kong priority 1450: after cors (preflights need no token), before the limits. */
const PRIORITY = 1450;

/**
 * Kong's WWW-Authenticate on a refusal (Kong 3.8 and later; `realm` is not offered): a bare challenge when no
 * token came, `error="invalid_token"` when one came and was refused.
 */
const NO_TOKEN = 'Bearer';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

const unauthorized = (message: string, challenge = INVALID_TOKEN): GatewayExit => ({
  status: 401,
  body: { message },
  headers: { 'www-authenticate': challenge },
});

/** Kong answers claim failures with the errors themselves as the body: {"exp":"token expired"}. */
const claimsRefused = (errors: Readonly<Record<string, string>>): GatewayExit => ({
  status: 401,
  body: errors,
  headers: { 'www-authenticate': INVALID_TOKEN },
});

function verifyKeyOf(credential: JwtCredential, config: JwtConfig) {
  if (!credential.algorithm.startsWith('HS')) return credential.publicKey;
  if (credential.secret === undefined) return undefined;
  return Buffer.from(credential.secret, config.secret_is_base64 ? 'base64' : 'utf8');
}

/** Kong's do_authentication, in its order and with its answers (all 401 since Kong 2). */
function authenticate(ctx: RequestContext, config: JwtConfig, lookup: JwtCredentialLookup) {
  const tokens = [...tokensOf(ctx.req, ctx.query, config)];
  const [token] = tokens;
  if (token === undefined) return unauthorized('Unauthorized', NO_TOKEN);
  if (tokens.length > 1) return unauthorized('Multiple tokens provided');
  const jwt = decodeJwt(token);
  if ('error' in jwt) return unauthorized(`Bad token; ${jwt.error}`);
  const claimName = config.key_claim_name;
  // Kong reads the key from the claims, else from the header (`kid` style).
  const key = jwt.claims[claimName] ?? jwt.header[claimName];
  if (key === undefined) return unauthorized(`No mandatory '${claimName}' in claims`);
  if (typeof key !== 'string' || key === '') return unauthorized(`Invalid '${claimName}' in claims`);
  const credential = lookup(key);
  if (credential === undefined) return unauthorized(`No credentials found for given '${claimName}'`);
  if (jwt.alg !== credential.algorithm) return unauthorized('Invalid algorithm');
  const verifyKey = verifyKeyOf(credential, config);
  if (verifyKey === undefined) return unauthorized('Invalid key/secret');
  if (!hasValidSignature(jwt, verifyKey)) return unauthorized('Invalid signature');
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const claimErrors = registeredClaimErrors(jwt.claims, config.claims_to_verify ?? [], nowSeconds);
  if (claimErrors) return claimsRefused(claimErrors);
  const exp = jwt.claims['exp'];
  if (
    config.maximum_expiration > 0 &&
    typeof exp === 'number' &&
    exp - nowSeconds > config.maximum_expiration
  ) {
    return claimsRefused({ exp: 'exceeds maximum allowed expiration' });
  }
  return credential;
}

/**
 * Kong's jwt plugin: finds the token, the consumer's credential by the `key_claim_name` claim, checks the
 * algorithm, signature and `claims_to_verify`, then passes the request on with Kong's consumer headers
 * (X-Consumer-ID when the consumer has an id in kong.yml, X-Consumer-Custom-ID, X-Consumer-Username,
 * X-Credential-Identifier), clearing any the client sent.
 */
export function jwtPlugin(config: JwtConfig, lookup: JwtCredentialLookup): GatewayPlugin {
  return {
    name: 'jwt',
    priority: PRIORITY,
    access(ctx) {
      if (!config.run_on_preflight && ctx.method === 'OPTIONS') return undefined;
      const result = authenticate(ctx, config, lookup);
      if ('status' in result) return result;
      const { consumer } = result;
      const headers = ctx.upstreamHeaders;
      // Cleared first: a client must not pass its own identity headers through.
      delete headers['x-consumer-id'];
      delete headers['x-consumer-custom-id'];
      delete headers['x-consumer-username'];
      delete headers['x-anonymous-consumer'];
      if (consumer.id !== undefined) headers['x-consumer-id'] = consumer.id;
      if (consumer.customId !== undefined) headers['x-consumer-custom-id'] = consumer.customId;
      if (consumer.username !== undefined) headers['x-consumer-username'] = consumer.username;
      headers['x-credential-identifier'] = result.key;
      ctx.consumer = { ...consumer, credential: result.key };
      return undefined;
    },
  };
}
