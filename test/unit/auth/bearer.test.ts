import test from 'ava';
import { bearerToken } from '../../../shared/auth/bearer';
import { AppError } from '../../../shared/errors/app-error';

test('the token of a bearer header, scheme case-insensitive', (t) => {
  t.is(bearerToken('Bearer abc.DEF-_~+/.x=='), 'abc.DEF-_~+/.x==');
  t.is(bearerToken('bearer abc'), 'abc');
  t.is(bearerToken('BEARER  abc '), 'abc');
});

test('anything else is a missing token', (t) => {
  for (const header of [
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'abc',
    'Bearer a b',
    'Bearerabc',
  ]) {
    const error = t.throws(() => bearerToken(header), { instanceOf: AppError });
    t.is(error.kind, 'unauthenticated');
    t.is(error.code, 'AUTH.MISSING_TOKEN');
  }
});
