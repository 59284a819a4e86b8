import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { decode, sign } from 'jsonwebtoken';
import { loadConfig } from '../../../shared/config/load-config';
import { AppError } from '../../../shared/errors/app-error';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { verifyAccessToken } from '../../../shared/auth/access-token-verifier';
import { DEV_JWT_PUBLIC_KEY_PEM } from '../../../shared/auth/dev-keys';
import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';

const config = loadConfig(AccessTokenSignerEnv, {});
const user = {
  userId: 'user-1',
  role: 'customer',
  sessionId: '00000000-0000-4000-8000-00000000005e',
} as const;

const base64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Valid claims, for tokens built by hand; an override of `undefined` removes the claim. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    sub: 'user-1',
    role: 'customer',
    jti: randomUUID(),
    sid: randomUUID(),
    iat: now,
    exp: now + 300,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** ES256 with the real private key over arbitrary claims: only the claims are wrong. */
const signClaims = (payload: Record<string, unknown>): string =>
  sign(payload, config.JWT_PRIVATE_KEY, { algorithm: 'ES256' });

function rejects(t: ExecutionContext, token: string | undefined, code: string): void {
  const error = t.throws(() => verifyAccessToken(token, config), { instanceOf: AppError });
  t.is(error.kind, 'unauthenticated');
  t.is(error.code, code);
}

test('a signed token round-trips to its principal', (t) => {
  const signed = signAccessToken({ ...user, userId: 'user-42', role: 'admin' }, config);
  const principal = verifyAccessToken(signed.token, config);
  t.deepEqual(principal, {
    userId: 'user-42',
    role: 'admin',
    tokenId: signed.tokenId,
    sessionId: user.sessionId,
    expiresAt: signed.expiresAt,
  });
});

test('the token carries ES256 and the required claims, 5 minutes of life', (t) => {
  const now = new Date('2030-01-01T00:00:00Z');
  const signed = signAccessToken(user, config, { now });
  const decoded = decode(signed.token, { complete: true });
  t.is(decoded?.header.alg, 'ES256');
  const iat = now.getTime() / 1000;
  t.deepEqual(decoded?.payload, {
    iss: 'ecom-issuer',
    aud: 'ecom-api',
    sub: 'user-1',
    role: 'customer',
    sid: user.sessionId,
    jti: signed.tokenId,
    iat,
    exp: iat + 300,
  });
  t.deepEqual(signed.expiresAt, new Date('2030-01-01T00:05:00Z'));
  t.not(signAccessToken(user, config).tokenId, signAccessToken(user, config).tokenId);
});

test('a missing token is refused', (t) => {
  rejects(t, undefined, 'AUTH.MISSING_TOKEN');
  rejects(t, '', 'AUTH.MISSING_TOKEN');
});

test('a malformed token is refused', (t) => {
  for (const token of ['garbage', 'a.b.c', 'a.b', `${base64url({ alg: 'ES256' })}..`, 'x'.repeat(5000)]) {
    rejects(t, token, 'AUTH.INVALID_TOKEN');
  }
});

test('an expired token is refused as expired, within a 5 s clock tolerance', (t) => {
  const issued = signAccessToken(user, config, { now: new Date(Date.now() - 16 * 60 * 1000) });
  rejects(t, issued.token, 'AUTH.TOKEN_EXPIRED');

  const fresh = signAccessToken(user, config);
  const at = (seconds: number) => new Date(fresh.expiresAt.getTime() + seconds * 1000);
  t.is(verifyAccessToken(fresh.token, config, { now: at(4) }).userId, 'user-1');
  const error = t.throws(() => verifyAccessToken(fresh.token, config, { now: at(6) }), {
    instanceOf: AppError,
  });
  t.is(error.code, 'AUTH.TOKEN_EXPIRED');
});

test('a token with a tampered payload is refused', (t) => {
  const [header, , signature] = signAccessToken(user, config).token.split('.');
  const forged = `${header ?? ''}.${base64url(claims({ role: 'admin' }))}.${signature ?? ''}`;
  rejects(t, forged, 'AUTH.INVALID_TOKEN');
});

test('a token with a tampered signature is refused', (t) => {
  const token = signAccessToken(user, config).token;
  const flipped = token.slice(0, -5) + (token.at(-5) === 'A' ? 'B' : 'A') + token.slice(-4);
  rejects(t, flipped, 'AUTH.INVALID_TOKEN');
});

test('alg none is refused', (t) => {
  const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims({ role: 'admin' }))}`;
  rejects(t, `${unsigned}.`, 'AUTH.INVALID_TOKEN');
  rejects(t, `${unsigned}.${base64url('sig')}`, 'AUTH.INVALID_TOKEN');
});

test('HS256 signed with the public key as HMAC secret (algorithm confusion) is refused', (t) => {
  for (const secret of [DEV_JWT_PUBLIC_KEY_PEM, DEV_JWT_PUBLIC_KEY_PEM.trim()]) {
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims({ role: 'admin' }))}`;
    const mac = createHmac('sha256', secret).update(unsigned).digest('base64url');
    rejects(t, `${unsigned}.${mac}`, 'AUTH.INVALID_TOKEN');
  }
});

test('a token signed by a foreign ES256 key is refused', (t) => {
  const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = signAccessToken(user, { ...config, JWT_PRIVATE_KEY: foreign.privateKey }).token;
  rejects(t, token, 'AUTH.INVALID_TOKEN');
});

test('a wrong audience or issuer is refused', (t) => {
  rejects(t, signAccessToken(user, { ...config, JWT_AUDIENCE: 'other-api' }).token, 'AUTH.INVALID_TOKEN');
  rejects(t, signAccessToken(user, { ...config, JWT_ISSUER: 'other-issuer' }).token, 'AUTH.INVALID_TOKEN');
});

test('a role outside the enum is refused', (t) => {
  rejects(t, signClaims(claims({ role: 'superuser' })), 'AUTH.INVALID_TOKEN');
  rejects(t, signClaims(claims({ role: undefined })), 'AUTH.INVALID_TOKEN');
});

test('a token without sub, jti or exp is refused', (t) => {
  rejects(t, signClaims(claims({ sub: undefined })), 'AUTH.INVALID_TOKEN');
  rejects(t, signClaims(claims({ sub: '' })), 'AUTH.INVALID_TOKEN');
  rejects(t, signClaims(claims({ jti: undefined })), 'AUTH.INVALID_TOKEN');
  rejects(t, signClaims(claims({ exp: undefined })), 'AUTH.INVALID_TOKEN');
});

test('the claims built by hand are valid, so the refusals above are for the reason they name', (t) => {
  t.is(verifyAccessToken(signClaims(claims()), config).role, 'customer');
});

test('a token that claims to live longer than 5 minutes is refused', (t) => {
  const now = Math.floor(Date.now() / 1000);
  rejects(t, signClaims(claims({ iat: now - 400, exp: now + 3600 })), 'AUTH.TOKEN_EXPIRED');
});
