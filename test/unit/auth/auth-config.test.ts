import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import test from 'ava';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { verifyAccessToken } from '../../../shared/auth/access-token-verifier';
import { DEV_JWT_PRIVATE_KEY_PEM, DEV_JWT_PUBLIC_KEY_PEM } from '../../../shared/auth/dev-keys';
import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { AccessTokenVerifierEnv } from '../../../shared/auth/verifier-config';
import { ConfigError, loadConfig } from '../../../shared/config/load-config';

const publicPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
const privatePem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

function p256Pair(): { JWT_PUBLIC_KEY: string; JWT_PRIVATE_KEY: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { JWT_PUBLIC_KEY: publicPem(pair.publicKey), JWT_PRIVATE_KEY: privatePem(pair.privateKey) };
}

test('with no setup, the dev keys and the dev issuer and audience apply', (t) => {
  const config = loadConfig(AccessTokenSignerEnv, {});
  t.is(config.JWT_ISSUER, 'ecom-issuer');
  t.is(config.JWT_AUDIENCE, 'ecom-api');
  t.is(config.JWT_PUBLIC_KEY.type, 'public');
  t.is(config.JWT_PRIVATE_KEY.type, 'private');
  const token = signAccessToken(
    { userId: 'u1', role: 'customer', sessionId: '00000000-0000-4000-8000-00000000005e' },
    config,
  ).token;
  t.is(verifyAccessToken(token, loadConfig(AccessTokenVerifierEnv, {})).userId, 'u1');
});

test('production refuses the dev keys, naming the variables', (t) => {
  const error = t.throws(() => loadConfig(AccessTokenSignerEnv, { NODE_ENV: 'production' }), {
    instanceOf: ConfigError,
  });
  t.regex(error.message, /JWT_PUBLIC_KEY: is the committed DEV ONLY key/);
  t.regex(error.message, /JWT_PRIVATE_KEY: is the committed DEV ONLY key/);
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { NODE_ENV: 'production' }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY.*DEV ONLY.*NODE_ENV=production/,
  });
});

test('production refuses a value equal to a dev key, however it is spelled', (t) => {
  const sec1 = createPrivateKey(DEV_JWT_PRIVATE_KEY_PEM).export({ type: 'sec1', format: 'pem' }).toString();
  const env = {
    NODE_ENV: 'production',
    JWT_PUBLIC_KEY: DEV_JWT_PUBLIC_KEY_PEM.replaceAll('\n', '\\n'),
    JWT_PRIVATE_KEY: sec1,
  };
  const error = t.throws(() => loadConfig(AccessTokenSignerEnv, env), { instanceOf: ConfigError });
  t.regex(error.message, /JWT_PUBLIC_KEY: is the committed DEV ONLY key/);
  t.regex(error.message, /JWT_PRIVATE_KEY: is the committed DEV ONLY key/);
});

test('production accepts its own key pair, and tokens round-trip with it', (t) => {
  const env = { NODE_ENV: 'production', JWT_ISSUER: 'shop', JWT_AUDIENCE: 'shop-api', ...p256Pair() };
  const signer = loadConfig(AccessTokenSignerEnv, env);
  const verifier = loadConfig(AccessTokenVerifierEnv, env);
  const token = signAccessToken(
    { userId: 'u1', role: 'admin', sessionId: '00000000-0000-4000-8000-00000000005e' },
    signer,
  ).token;
  t.is(verifyAccessToken(token, verifier).role, 'admin');
});

test('PEMs with literal \\n escapes are accepted', (t) => {
  const pair = p256Pair();
  const escaped = {
    JWT_PUBLIC_KEY: pair.JWT_PUBLIC_KEY.replaceAll('\n', '\\n'),
    JWT_PRIVATE_KEY: pair.JWT_PRIVATE_KEY.replaceAll('\n', '\\n'),
  };
  t.false(escaped.JWT_PUBLIC_KEY.includes('\n'));
  const config = loadConfig(AccessTokenSignerEnv, escaped);
  t.true(config.JWT_PUBLIC_KEY.equals(loadConfig(AccessTokenVerifierEnv, pair).JWT_PUBLIC_KEY));
});

test('a key that is not EC P-256 is refused', (t) => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { JWT_PUBLIC_KEY: publicPem(p384.publicKey) }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY: must be an EC P-256 \(prime256v1\) public key for ES256, got ec secp384r1/,
  });
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { JWT_PUBLIC_KEY: publicPem(rsa.publicKey) }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY: must be an EC P-256 .* got rsa/,
  });
  t.throws(
    () =>
      loadConfig(AccessTokenSignerEnv, {
        JWT_PUBLIC_KEY: publicPem(p384.publicKey),
        JWT_PRIVATE_KEY: privatePem(p384.privateKey),
      }),
    { instanceOf: ConfigError, message: /JWT_PRIVATE_KEY: must be an EC P-256/ },
  );
});

test('junk, an empty value and a private key where the public key belongs are refused', (t) => {
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { JWT_PUBLIC_KEY: 'not a key' }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY: is not a PEM public key/,
  });
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { JWT_PUBLIC_KEY: '' }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY: is required/,
  });
  t.throws(() => loadConfig(AccessTokenVerifierEnv, { JWT_PUBLIC_KEY: DEV_JWT_PRIVATE_KEY_PEM }), {
    instanceOf: ConfigError,
    message: /JWT_PUBLIC_KEY: holds a private key/,
  });
});

test('a private key that is not the pair of the public key is refused', (t) => {
  const env = { ...p256Pair(), JWT_PRIVATE_KEY: p256Pair().JWT_PRIVATE_KEY };
  t.throws(() => loadConfig(AccessTokenSignerEnv, env), {
    instanceOf: ConfigError,
    message: /JWT_PRIVATE_KEY: is not the private half of JWT_PUBLIC_KEY/,
  });
});

test('the verifier config does not read the private key', (t) => {
  const config = loadConfig(AccessTokenVerifierEnv, { JWT_PRIVATE_KEY: 'anything' });
  t.false('JWT_PRIVATE_KEY' in config);
});
