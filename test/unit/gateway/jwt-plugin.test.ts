// The dev gateway's jwt plugin, called in process as the pipeline calls it: kong.yml text parsed by the gateway's
// own schema, the plugin built from its declaration, a request context made from a real IncomingMessage. Every
// expected answer is Kong 3.x's (kong/plugins/jwt handler.lua, jwt_parser.lua, schema.lua), unless a comment says
// otherwise. Keys are generated here; tokens are signed by jsonwebtoken, or by hand where the token is malformed.
import { constants, createHmac, generateKeyPairSync, sign as signBytes, type KeyObject } from 'node:crypto';
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import test from 'ava';
import { sign, type Algorithm } from 'jsonwebtoken';
import { createPlugin } from '../../../dev/gateway/create-plugin';
import type { GatewayExit, GatewayPlugin } from '../../../dev/gateway/gateway-plugin';
import { KongConfigError, parseKongConfig, type KongConsumer } from '../../../dev/gateway/kong-config';
import { JwtConfig } from '../../../dev/gateway/plugins/jwt-config';
import { jwtCredentialLookup } from '../../../dev/gateway/plugins/jwt-credentials';
import { jwtPlugin } from '../../../dev/gateway/plugins/jwt';
import { decodeJwt, hasValidSignature, type DecodedJwt } from '../../../dev/gateway/plugins/jwt-token';
import { createRequestContext, splitTarget, type ServedRequest } from '../../../dev/gateway/request-context';

const SOURCE = 'test kong.yml';
/** The gateway's clock for every request here; nothing in these tests reads the wall clock. */
const T0 = Date.UTC(2026, 0, 5, 9, 30, 15);

// ---- keys and consumers -------------------------------------------------------------------------------------

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
// 2048 bits: Kong's PS* verifiers assert a 256-byte signature.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

const HS_SECRET = 'correct horse battery staple';
const HS_SECRET_BASE64 = Buffer.from(HS_SECRET).toString('base64');

/** One consumer per algorithm, as kong.yml declares them; the key names the credential in `iss`. */
const CONSUMERS = [
  {
    id: 'c-hs',
    username: 'hs-user',
    custom_id: 'HS-1',
    jwt_secrets: [{ key: 'hs-key', algorithm: 'HS256', secret: HS_SECRET }],
  },
  { username: 'hs384-user', jwt_secrets: [{ key: 'hs384-key', algorithm: 'HS384', secret: HS_SECRET }] },
  {
    username: 'es-user',
    jwt_secrets: [{ key: 'es-key', algorithm: 'ES256', rsa_public_key: pem(ec.publicKey) }],
  },
  {
    username: 'rs-user',
    jwt_secrets: [{ key: 'rs-key', algorithm: 'RS256', rsa_public_key: pem(rsa.publicKey) }],
  },
  {
    custom_id: 'PS-1',
    jwt_secrets: [{ key: 'ps-key', algorithm: 'PS256', rsa_public_key: pem(rsa.publicKey) }],
  },
  // A key that cannot verify its algorithm: kong.yml only asks for a PEM public key.
  {
    username: 'ed-user',
    jwt_secrets: [{ key: 'ed-key', algorithm: 'RS256', rsa_public_key: pem(ed.publicKey) }],
  },
];

function kongYml(document: Record<string, unknown>) {
  return parseKongConfig(JSON.stringify({ _format_version: '3.0', ...document }), SOURCE);
}

/** The jwt plugin declared globally with `config` (absent: no config at all), beside `consumers`. */
function jwtOn(config?: Record<string, unknown>, consumers: readonly unknown[] = CONSUMERS): GatewayPlugin {
  const kong = kongYml({
    consumers,
    plugins: [config === undefined ? { name: 'jwt' } : { name: 'jwt', config }],
  });
  const [declaration] = kong.plugins;
  if (declaration === undefined) throw new Error('kong.yml lost its plugin');
  return createPlugin(declaration, { jwtCredentials: jwtCredentialLookup(kong.consumers) });
}

/** The jwt config kong.yml yields for `config` (absent: the plugin declared with no config). */
function jwtConfigOf(config?: Record<string, unknown>): unknown {
  return kongYml({ plugins: [config === undefined ? { name: 'jwt' } : { name: 'jwt', config }] }).plugins[0]
    ?.config;
}

// ---- requests -----------------------------------------------------------------------------------------------

/** A request as the pipeline hands it to the plugins: a real IncomingMessage, upstream headers from it. */
function request(target: string, headers: IncomingHttpHeaders = {}, method = 'GET'): ServedRequest {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = target;
  req.headers = headers;
  const { path, search } = splitTarget(target);
  const served = {
    method,
    path,
    search,
    serviceName: 'user-query',
    routeId: 'user-query',
    expectsContinue: false,
  };
  return createRequestContext(req, new ServerResponse(req), served, () => T0);
}

async function accessOf(plugin: GatewayPlugin, ctx: ServedRequest): Promise<GatewayExit | undefined> {
  return plugin.access(ctx);
}

/** What the plugin answers to GET / with these headers (undefined: passed on). */
const answerTo = (plugin: GatewayPlugin, headers: IncomingHttpHeaders, target = '/') =>
  accessOf(plugin, request(target, headers));

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Kong's 401 when no token came: the bare challenge. */
const NO_TOKEN: GatewayExit = {
  status: 401,
  body: { message: 'Unauthorized' },
  headers: { 'www-authenticate': 'Bearer' },
};
/** Kong's 401 when a token came and was refused. */
const refused = (message: string): GatewayExit => ({
  status: 401,
  body: { message },
  headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
});

// ---- tokens -------------------------------------------------------------------------------------------------

const KEYS: Record<string, { alg: Algorithm; key: KeyObject | string }> = {
  'hs-key': { alg: 'HS256', key: HS_SECRET },
  'hs384-key': { alg: 'HS384', key: HS_SECRET },
  'es-key': { alg: 'ES256', key: ec.privateKey },
  'rs-key': { alg: 'RS256', key: rsa.privateKey },
  'ps-key': { alg: 'PS256', key: rsa.privateKey },
};

/** A token naming credential `iss`, signed as its consumer signs (or with `signer` instead). */
function tokenFor(iss: string, claims: Record<string, unknown> = {}, signer = KEYS[iss]): string {
  if (signer === undefined) throw new Error(`no signer for ${iss}`);
  return sign({ iss, sub: 'u-1', ...claims }, signer.key, { algorithm: signer.alg, noTimestamp: true });
}

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (data: string, secret: string = HS_SECRET) =>
  createHmac('sha256', secret).update(data).digest();

/** `header.claims` exactly as given, with a valid HS256 signature (hs-key's secret) over exactly those bytes. */
function hsSigned(headerPart: string, claimsPart: string): string {
  const signed = `${headerPart}.${claimsPart}`;
  return `${signed}.${hs256(signed).toString('base64url')}`;
}

/** A token's three parts as sent. */
function partsOf(token: string): [string, string, string] {
  const [header = '', claims = '', signature = ''] = token.split('.');
  return [header, claims, signature];
}

/** The token with its signature part replaced. */
const withSignature = (token: string, signature: string) => {
  const [header, claims] = partsOf(token);
  return `${header}.${claims}.${signature}`;
};

// ---- config -------------------------------------------------------------------------------------------------

/** Kong's jwt schema defaults (claims_to_verify has none in Kong: unset reads as null). */
const DEFAULTS = {
  uri_param_names: ['jwt'],
  cookie_names: [],
  header_names: ['authorization'],
  key_claim_name: 'iss',
  secret_is_base64: false,
  claims_to_verify: null,
  maximum_expiration: 0,
  run_on_preflight: true,
};

test("a jwt plugin declared without config gets Kong's defaults", (t) => {
  t.deepEqual(jwtConfigOf(), DEFAULTS);
  t.deepEqual(jwtConfigOf({}), DEFAULTS);
});

test('every jwt option kong.yml sets is kept as set', (t) => {
  const config = {
    uri_param_names: ['token', 'access_token'],
    cookie_names: ['session', 'jwt'],
    header_names: ['X-Auth-Token'],
    key_claim_name: 'kid',
    secret_is_base64: true,
    claims_to_verify: ['exp', 'nbf'],
    maximum_expiration: 900,
    run_on_preflight: false,
    anonymous: null,
  };
  t.deepEqual(jwtConfigOf(config), config);
});

test('anonymous is refused at load, naming the field and why', (t) => {
  for (const anonymous of ['guest', '3f0b1c2e-0000-4000-8000-000000000001']) {
    t.throws(() => jwtConfigOf({ anonymous }), {
      instanceOf: KongConfigError,
      message: `${SOURCE} cannot be served by the dev gateway:\n  plugins.0.config.anonymous: anonymous consumers are not supported by the dev gateway`,
    });
  }
});

test('maximum_expiration above 0 without exp in claims_to_verify is refused at load with the field path; with exp it is accepted', (t) => {
  const message = `${SOURCE} cannot be served by the dev gateway:\n  plugins.0.config.claims_to_verify: must include exp when maximum_expiration is set`;
  for (const config of [
    { maximum_expiration: 1 },
    { maximum_expiration: 900 },
    { maximum_expiration: 900, claims_to_verify: null },
    { maximum_expiration: 900, claims_to_verify: [] },
    { maximum_expiration: 900, claims_to_verify: ['nbf'] },
  ]) {
    t.throws(() => jwtConfigOf(config), { instanceOf: KongConfigError, message }, JSON.stringify(config));
  }
  for (const claims_to_verify of [['exp'], ['nbf', 'exp']]) {
    t.deepEqual(jwtConfigOf({ maximum_expiration: 900, claims_to_verify }), {
      ...DEFAULTS,
      maximum_expiration: 900,
      claims_to_verify,
    });
  }
  t.deepEqual(jwtConfigOf({ maximum_expiration: 0, claims_to_verify: ['nbf'] }), {
    ...DEFAULTS,
    claims_to_verify: ['nbf'],
  });
});

// ---- credentials --------------------------------------------------------------------------------------------

test('two jwt_secrets with the same key are refused when kong.yml is loaded, naming the key', (t) => {
  const secret = { key: 'shared', algorithm: 'HS256', secret: 's' };
  const layouts = [
    [
      { username: 'a', jwt_secrets: [secret] },
      { username: 'b', jwt_secrets: [{ ...secret, secret: 'other' }] },
    ],
    [{ username: 'a', jwt_secrets: [secret, { ...secret, algorithm: 'HS512' }] }],
  ];
  for (const consumers of layouts) {
    const kong = kongYml({ consumers });
    t.throws(() => jwtCredentialLookup(kong.consumers), {
      instanceOf: KongConfigError,
      message: 'two jwt_secrets have the key "shared"',
    });
  }
});

// ---- where tokens come from ---------------------------------------------------------------------------------

test('Authorization: Bearer is read with a capital or small b, leading spaces and any run of spaces or tabs before the token', async (t) => {
  const plugin = jwtOn();
  const token = tokenFor('hs-key');
  for (const value of [
    `Bearer ${token}`,
    `bearer ${token}`,
    `  Bearer ${token}`,
    `Bearer   ${token}`,
    `Bearer \t ${token}`,
  ]) {
    t.is(await answerTo(plugin, { authorization: value }), undefined, JSON.stringify(value));
  }
});

test('an Authorization header that holds no Bearer token is no token: 401 Unauthorized with the bare challenge', async (t) => {
  const plugin = jwtOn();
  const token = tokenFor('hs-key');
  for (const value of [token, `BEARER ${token}`, `Basic ${token}`, `Token ${token}`, 'Bearer']) {
    t.deepEqual(await answerTo(plugin, { authorization: value }), NO_TOKEN, JSON.stringify(value));
  }
});

test('header_names is read whatever its case in kong.yml, and replaces Authorization', async (t) => {
  const plugin = jwtOn({ header_names: ['X-Auth-Token'] });
  const token = tokenFor('hs-key');
  t.is(await answerTo(plugin, { 'x-auth-token': `Bearer ${token}` }), undefined);
  t.deepEqual(await answerTo(plugin, bearer(token)), NO_TOKEN);
});

test('the query parameters of uri_param_names are read, ?jwt= by default', async (t) => {
  const token = tokenFor('hs-key');
  t.is(await answerTo(jwtOn(), {}, `/?jwt=${token}`), undefined);
  const custom = jwtOn({ uri_param_names: ['token', 'access_token'] });
  t.is(await answerTo(custom, {}, `/?access_token=${token}`), undefined);
  t.deepEqual(await answerTo(custom, {}, `/?jwt=${token}`), NO_TOKEN);
});

test('cookies are read only when cookie_names names them, among several pairs with or without spaces', async (t) => {
  const token = tokenFor('hs-key');
  t.deepEqual(await answerTo(jwtOn(), { cookie: `jwt=${token}` }), NO_TOKEN, 'no cookie_names by default');
  const plugin = jwtOn({ cookie_names: ['other', 'session'] });
  for (const cookie of [
    `session=${token}`,
    `theme=dark; session=${token}; lang=en`,
    `theme=dark;session=${token}`,
    `theme=dark;   session = ${token};lang=en`,
  ]) {
    t.is(await answerTo(plugin, { cookie }), undefined, cookie);
  }
  t.deepEqual(await answerTo(plugin, { cookie: `sessions=${token}; xsession=${token}` }), NO_TOKEN);
});

test("a cookie without '=' and empty values anywhere are no token", async (t) => {
  const plugin = jwtOn({ cookie_names: ['session'] });
  const token = tokenFor('hs-key');
  for (const cookie of ['theme=dark; session ; lang=en', 'session', 'session=', 'session=; theme=dark']) {
    t.deepEqual(await answerTo(plugin, { cookie }), NO_TOKEN, cookie);
  }
  t.deepEqual(await answerTo(plugin, {}, '/?jwt='), NO_TOKEN, 'an empty ?jwt=');
  t.deepEqual(await answerTo(plugin, { authorization: 'Bearer' }, '/?jwt=&jwt='), NO_TOKEN);
  // An empty value beside a token is not a second token.
  t.is(await answerTo(plugin, { ...bearer(token), cookie: 'session=' }, '/?jwt='), undefined);
});

test('several different tokens are 401 "Multiple tokens provided"; the same token from several places is one', async (t) => {
  const plugin = jwtOn({ cookie_names: ['session'] });
  const token = tokenFor('hs-key');
  const other = tokenFor('hs-key', { sub: 'u-2' });
  const multiple: [IncomingHttpHeaders, string][] = [
    [bearer(token), `/?jwt=${other}`],
    [{ ...bearer(token), cookie: `session=${other}` }, '/'],
    [{ cookie: `session=${token}` }, `/?jwt=${other}`],
    [{}, `/?jwt=${token}&jwt=${other}`],
    // An invalid token still counts: Kong counts before it decodes.
    [bearer(token), '/?jwt=invalid.jwt.token'],
  ];
  for (const [headers, target] of multiple) {
    t.deepEqual(await answerTo(plugin, headers, target), refused('Multiple tokens provided'), target);
  }
  const same: [IncomingHttpHeaders, string][] = [
    [{ ...bearer(token), cookie: `session=${token}` }, `/?jwt=${token}`],
    [{}, `/?jwt=${token}&jwt=${token}`],
  ];
  for (const [headers, target] of same) t.is(await answerTo(plugin, headers, target), undefined, target);
});

// ---- the token's parts --------------------------------------------------------------------------------------

test('a token without three dot-separated parts is 401 "Bad token; invalid JSON", even when its two parts decode', async (t) => {
  const plugin = jwtOn();
  const header = segment({ alg: 'HS256', typ: 'JWT' });
  // 22 characters: padded to 24 as standard base64 would, so it still decodes with the padding kept.
  const claims = segment({ iss: 'hs-key' });
  for (const token of ['not-a-jwt', header, `${header}.${claims}`, `${header}.${claims}==`]) {
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Bad token; invalid JSON'), token);
  }
});

test('a header or payload that is not base64url of JSON is 401 "Bad token; invalid JSON"', async (t) => {
  const plugin = jwtOn();
  const header = segment({ alg: 'HS256', typ: 'JWT' });
  const claims = segment({ iss: 'hs-key' });
  const notJson = Buffer.from('{"alg":"HS256"').toString('base64url');
  for (const token of [hsSigned(notJson, claims), hsSigned(header, notJson), hsSigned('', claims)]) {
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Bad token; invalid JSON'), token);
  }
});

// Kong differs here: its cjson decodes any JSON value, and indexing an array or a string finds no field (a header
// without alg is "invalid alg"; claims without iss fall back to the header's key, so a signed array of claims can
// pass), while indexing null, a number or a boolean raises: a 500.
test('a header or payload that is JSON but no object (null, an array, a number, a string) is 401 "Bad token; invalid JSON"', async (t) => {
  const plugin = jwtOn();
  // The key is in the header too, and each token is signed with the credential's secret: only the shape is wrong.
  const header = segment({ alg: 'HS256', iss: 'hs-key' });
  const claims = segment({ iss: 'hs-key' });
  const tokens = [
    ...[null, [], ['hs-key'], 42, 'hs-key', true].map((value) => hsSigned(header, segment(value))),
    ...[null, [], 42, 'HS256'].map((value) => hsSigned(segment(value), claims)),
  ];
  for (const token of tokens) {
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Bad token; invalid JSON'), token);
  }
  t.is(await answerTo(plugin, bearer(hsSigned(header, segment({})))), undefined, 'an object passes');
});

test('a signature part outside the base64url alphabet is 401 "Bad token; invalid signature", even standard base64 of the right bytes', async (t) => {
  const plugin = jwtOn();
  // A token whose signature uses - or _, so that its standard base64 spelling differs.
  const token =
    [...Array(64).keys()]
      .map((n) => tokenFor('hs-key', { n }))
      .find((candidate) => /[-_]/.test(partsOf(candidate)[2])) ?? '';
  const signature = partsOf(token)[2];
  t.is(await answerTo(plugin, bearer(token)), undefined, 'the token itself is valid');
  for (const bad of [
    signature.replaceAll('-', '+').replaceAll('_', '/'),
    `${signature.slice(0, 20)} ${signature.slice(21)}`,
    `${signature.slice(0, 20)}.${signature.slice(21)}`,
  ]) {
    t.deepEqual(
      await answerTo(plugin, bearer(withSignature(token, bad))),
      refused('Bad token; invalid signature'),
      bad,
    );
  }
  // Kong splits at the first two dots only: a fourth part belongs to the signature.
  t.deepEqual(await answerTo(plugin, bearer(`${token}.extra`)), refused('Bad token; invalid signature'));
});

test('a signature part of 4n+1 characters is 401 "Bad token; invalid signature", though its first 4n decode to the right bytes', async (t) => {
  const plugin = jwtOn();
  // HS384: 48 bytes, 64 characters, so one more makes 65.
  const token = tokenFor('hs384-key');
  t.is(partsOf(token)[2].length, 64);
  t.is(await answerTo(plugin, bearer(token)), undefined, 'the token itself is valid');
  for (const extra of ['A', 'Q', 'AAAAA']) {
    t.deepEqual(
      await answerTo(plugin, bearer(`${token}${extra}`)),
      refused('Bad token; invalid signature'),
      extra,
    );
  }
});

test("base64 '=' padding on the signature is accepted, and nginx's decoder reads nothing after the first '='", async (t) => {
  const plugin = jwtOn();
  const hs = tokenFor('hs-key');
  const es = tokenFor('es-key');
  t.is(partsOf(hs)[2].length % 4, 3, 'HS256: 43 characters, one = of padding');
  t.is(partsOf(es)[2].length % 4, 2, 'ES256: 86 characters, two = of padding');
  for (const token of [`${hs}=`, `${es}==`, `${hs}=anything+/.`, `${es}===`]) {
    t.is(await answerTo(plugin, bearer(token)), undefined, token);
  }
});

test('an empty signature, or one that is all padding, decodes to nothing and is 401 "Invalid signature"', async (t) => {
  const plugin = jwtOn();
  // Not ES*: Kong asserts a 64-byte ES256 signature and answers any other length with a 500.
  for (const iss of ['hs-key', 'rs-key']) {
    for (const signature of ['', '=', '==', '=abc']) {
      t.deepEqual(
        await answerTo(plugin, bearer(withSignature(tokenFor(iss), signature))),
        refused('Invalid signature'),
        `${iss} ${JSON.stringify(signature)}`,
      );
    }
  }
});

// ---- algorithms and keys ------------------------------------------------------------------------------------

test("ES256, RS256, PS256, HS256 and HS384 tokens signed with the consumer's key pass, each as its own consumer", async (t) => {
  const plugin = jwtOn();
  const expected: Record<string, { username?: string; customId?: string; id?: string }> = {
    'hs-key': { username: 'hs-user', customId: 'HS-1', id: 'c-hs' },
    'hs384-key': { username: 'hs384-user' },
    'es-key': { username: 'es-user' },
    'rs-key': { username: 'rs-user' },
    'ps-key': { customId: 'PS-1' },
  };
  for (const [iss, consumer] of Object.entries(expected)) {
    const ctx = request('/', bearer(tokenFor(iss)));
    t.is(await accessOf(plugin, ctx), undefined, iss);
    t.deepEqual(
      ctx.consumer,
      { username: undefined, customId: undefined, id: undefined, ...consumer, credential: iss },
      iss,
    );
  }
});

test('a token signed with another key or secret is 401 "Invalid signature"', async (t) => {
  const plugin = jwtOn();
  const forged: [string, { alg: Algorithm; key: KeyObject | string }][] = [
    ['hs-key', { alg: 'HS256', key: `${HS_SECRET}!` }],
    ['hs384-key', { alg: 'HS384', key: HS_SECRET.toUpperCase() }],
    ['es-key', { alg: 'ES256', key: otherEc.privateKey }],
    ['rs-key', { alg: 'RS256', key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }],
  ];
  for (const [iss, signer] of forged) {
    t.deepEqual(await answerTo(plugin, bearer(tokenFor(iss, {}, signer))), refused('Invalid signature'), iss);
  }
});

test('RS256 and PS256 each check their own padding: the other one\'s signature is 401 "Invalid signature"', async (t) => {
  const plugin = jwtOn();
  for (const [iss, alg, padding] of [
    ['ps-key', 'PS256', 'pkcs1'],
    ['rs-key', 'RS256', 'pss'],
  ] as const) {
    const signed = `${segment({ alg, typ: 'JWT' })}.${segment({ iss })}`;
    const signature =
      padding === 'pkcs1'
        ? signBytes('sha256', Buffer.from(signed), rsa.privateKey)
        : signBytes('sha256', Buffer.from(signed), {
            key: rsa.privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          });
    const token = `${signed}.${signature.toString('base64url')}`;
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Invalid signature'), iss);
  }
});

test('an HS signature of the wrong length, or of the right length with one bit changed, is 401 "Invalid signature"', async (t) => {
  const plugin = jwtOn();
  const token = tokenFor('hs-key');
  const signature = Buffer.from(partsOf(token)[2], 'base64url');
  const flipped = Buffer.from(signature);
  flipped[31] = (flipped[31] ?? 0) ^ 1;
  for (const bad of [
    signature.subarray(0, 31),
    Buffer.concat([signature, Buffer.from([0])]),
    flipped,
    hs256(token.slice(0, token.lastIndexOf('.')), 'another secret'),
  ]) {
    t.deepEqual(
      await answerTo(plugin, bearer(withSignature(token, bad.toString('base64url')))),
      refused('Invalid signature'),
      bad.toString('hex'),
    );
  }
  const rs = tokenFor('rs-key');
  const short = Buffer.from(partsOf(rs)[2], 'base64url').subarray(0, 255).toString('base64url');
  t.deepEqual(
    await answerTo(plugin, bearer(withSignature(rs, short))),
    refused('Invalid signature'),
    'RS256',
  );
});

test('secret_is_base64: the stored secret is decoded before it signs; without it the stored text is the secret', async (t) => {
  const consumers = [
    { username: 'b64-user', jwt_secrets: [{ key: 'b64-key', algorithm: 'HS256', secret: HS_SECRET_BASE64 }] },
  ];
  const signedWith = (key: string) => tokenFor('b64-key', {}, { alg: 'HS256', key });
  const decoded = jwtOn({ secret_is_base64: true }, consumers);
  t.is(await answerTo(decoded, bearer(signedWith(HS_SECRET))), undefined);
  t.deepEqual(await answerTo(decoded, bearer(signedWith(HS_SECRET_BASE64))), refused('Invalid signature'));
  for (const plain of [jwtOn({ secret_is_base64: false }, consumers), jwtOn({}, consumers)]) {
    t.is(await answerTo(plain, bearer(signedWith(HS_SECRET_BASE64))), undefined);
    t.deepEqual(await answerTo(plain, bearer(signedWith(HS_SECRET))), refused('Invalid signature'));
  }
});

test('key confusion: a token whose alg is not its credential\'s is 401 "Invalid algorithm", an HS256 token MACed with the public key PEM included', async (t) => {
  const plugin = jwtOn();
  const confused: [string, string][] = [
    ['rs-key', tokenFor('rs-key', {}, { alg: 'HS256', key: pem(rsa.publicKey) })],
    ['es-key', tokenFor('es-key', {}, { alg: 'HS256', key: pem(ec.publicKey) })],
    ['hs-key', tokenFor('hs-key', {}, { alg: 'RS256', key: rsa.privateKey })],
    ['hs-key', tokenFor('hs-key', {}, { alg: 'HS384', key: HS_SECRET })],
    ['rs-key', tokenFor('rs-key', {}, { alg: 'PS256', key: rsa.privateKey })],
    [
      'es-key',
      tokenFor(
        'es-key',
        {},
        { alg: 'ES384', key: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey },
      ),
    ],
  ];
  for (const [iss, token] of confused) {
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Invalid algorithm'), iss);
  }
});

test('key confusion in the signature check itself: an HS token never verifies with a public key, nor an ES, RS or PS token with a secret', (t) => {
  const decoded = (token: string): DecodedJwt => {
    const jwt = decodeJwt(token);
    if ('error' in jwt) throw new Error(jwt.error);
    return jwt;
  };
  // MACed with the PEM, the secret a confused verifier would take from the public key.
  for (const key of [rsa.publicKey, ec.publicKey]) {
    const hs = decoded(tokenFor('x', {}, { alg: 'HS256', key: pem(key) }));
    t.false(hasValidSignature(hs, key));
    t.true(hasValidSignature(hs, Buffer.from(pem(key))), 'the same token with the PEM as its secret');
  }
  const secret = Buffer.from(HS_SECRET);
  for (const alg of ['ES256', 'RS256', 'PS256'] as const) {
    const key = alg === 'ES256' ? ec : rsa;
    const token = decoded(tokenFor('x', {}, { alg, key: key.privateKey }));
    t.false(hasValidSignature(token, secret), alg);
    t.true(hasValidSignature(token, key.publicKey), `${alg} with its public key`);
  }
});

test('a credential whose public key cannot verify its algorithm (Ed25519 on RS256) refuses every token: 401 "Invalid signature"', async (t) => {
  const plugin = jwtOn();
  const tokens = [
    tokenFor('ed-key', {}, { alg: 'RS256', key: rsa.privateKey }),
    withSignature(tokenFor('ed-key', {}, { alg: 'RS256', key: rsa.privateKey }), ''),
    (() => {
      const signed = `${segment({ alg: 'RS256' })}.${segment({ iss: 'ed-key' })}`;
      return `${signed}.${signBytes(null, Buffer.from(signed), ed.privateKey).toString('base64url')}`;
    })(),
  ];
  for (const token of tokens)
    t.deepEqual(await answerTo(plugin, bearer(token)), refused('Invalid signature'));
});

test('a credential with nothing to verify with is 401 "Invalid key/secret"', async (t) => {
  // Only a consumer that skipped kong.yml's validation has this: kong.yml requires the secret of an HS credential.
  // Kong gives the same answer when secret_is_base64 cannot decode the secret as base64url.
  const consumers: KongConsumer[] = [{ username: 'u', jwt_secrets: [{ key: 'bare', algorithm: 'HS256' }] }];
  const plugin = jwtPlugin(JwtConfig.parse({}), jwtCredentialLookup(consumers));
  t.deepEqual(
    await answerTo(plugin, bearer(tokenFor('bare', {}, KEYS['hs-key']))),
    refused('Invalid key/secret'),
  );
});

test("key_claim_name: the credential's key is read from that claim, else from the token's header", async (t) => {
  const byKid = jwtOn({ key_claim_name: 'kid' });
  const inHeader = sign({ sub: 'u-1' }, HS_SECRET, {
    algorithm: 'HS256',
    keyid: 'hs-key',
    noTimestamp: true,
  });
  t.is(await answerTo(byKid, bearer(inHeader)), undefined);
  t.is(await answerTo(byKid, bearer(tokenFor('nobody', { kid: 'hs-key' }, KEYS['hs-key']))), undefined);
  t.deepEqual(await answerTo(byKid, bearer(tokenFor('hs-key'))), refused("No mandatory 'kid' in claims"));
  t.deepEqual(
    await answerTo(jwtOn(), bearer(inHeader)),
    refused("No mandatory 'iss' in claims"),
    'iss by default',
  );
});

// ---- the handler --------------------------------------------------------------------------------------------

test('run_on_preflight false lets OPTIONS through unchecked, and checks every other method', async (t) => {
  const plugin = jwtOn({ run_on_preflight: false });
  for (const headers of [{}, bearer('not-a-jwt')]) {
    const ctx = request('/', headers, 'OPTIONS');
    t.is(await accessOf(plugin, ctx), undefined);
    t.is(ctx.consumer, undefined, 'nobody is authenticated');
  }
  for (const method of ['GET', 'POST', 'DELETE']) {
    t.deepEqual(await accessOf(plugin, request('/', {}, method)), NO_TOKEN, method);
  }
});

test('run_on_preflight true, the default, checks OPTIONS like any request', async (t) => {
  for (const plugin of [jwtOn(), jwtOn({ run_on_preflight: true })]) {
    t.deepEqual(await accessOf(plugin, request('/', {}, 'OPTIONS')), NO_TOKEN);
    t.deepEqual(
      await accessOf(plugin, request('/', bearer('not-a-jwt'), 'OPTIONS')),
      refused('Bad token; invalid JSON'),
    );
    const ctx = request('/', bearer(tokenFor('es-key')), 'OPTIONS');
    t.is(await accessOf(plugin, ctx), undefined);
    t.deepEqual(ctx.consumer, {
      username: 'es-user',
      customId: undefined,
      id: undefined,
      credential: 'es-key',
    });
  }
});

test("a passing token sets Kong's consumer headers for the upstream and replaces every identity header the client sent", async (t) => {
  const plugin = jwtOn();
  const spoofed = {
    'x-consumer-id': 'forged-id',
    'x-consumer-custom-id': 'forged-custom-id',
    'x-consumer-username': 'admin',
    'x-anonymous-consumer': 'true',
    'x-credential-identifier': 'forged-key',
  };
  const cases: [string, Record<string, string>][] = [
    [
      'hs-key',
      {
        'x-consumer-id': 'c-hs',
        'x-consumer-custom-id': 'HS-1',
        'x-consumer-username': 'hs-user',
        'x-credential-identifier': 'hs-key',
      },
    ],
    ['es-key', { 'x-consumer-username': 'es-user', 'x-credential-identifier': 'es-key' }],
    ['ps-key', { 'x-consumer-custom-id': 'PS-1', 'x-credential-identifier': 'ps-key' }],
  ];
  for (const [iss, identity] of cases) {
    const token = tokenFor(iss);
    for (const sent of [{}, spoofed]) {
      const ctx = request('/', { ...bearer(token), 'x-test': 'kept', ...sent });
      t.is(await accessOf(plugin, ctx), undefined, iss);
      t.deepEqual(ctx.upstreamHeaders, { ...bearer(token), 'x-test': 'kept', ...identity }, iss);
    }
  }
});
