import { createHash } from 'node:crypto';
import test from 'ava';
import {
  hashRefreshToken,
  newRefreshToken,
  refreshTokenExpiresAt,
} from '../../../shared/domain/user/refresh-token';

test('a refresh token is 256 random bits, base64url, stored as its SHA-256', (t) => {
  const { token, hash } = newRefreshToken();
  t.regex(token, /^[A-Za-z0-9_-]{43}$/);
  t.is(Buffer.from(token, 'base64url').length, 32);
  t.is(hash, createHash('sha256').update(token).digest('hex'));
  t.is(hashRefreshToken(token), hash);
  t.not(newRefreshToken().token, token);
});

test('a refresh token lives 30 days', (t) => {
  t.deepEqual(refreshTokenExpiresAt(new Date('2030-01-01T00:00:00Z')), new Date('2030-01-31T00:00:00Z'));
});
