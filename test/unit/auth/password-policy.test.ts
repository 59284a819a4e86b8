import test from 'ava';
import { NewPassword } from '../../../shared/domain/user/password-policy';

const accepts = (value: unknown): boolean => NewPassword.safeParse(value).success;

test('10 to 128 characters', (t) => {
  t.false(accepts('a'.repeat(9)));
  t.true(accepts('a'.repeat(10)));
  t.true(accepts('a'.repeat(128)));
  t.false(accepts('a'.repeat(129)));
});

test('characters are code points: an emoji counts once', (t) => {
  t.is('😀'.length, 2);
  t.false(accepts('😀'.repeat(9)));
  t.true(accepts('😀'.repeat(10)));
  t.true(accepts('😀'.repeat(128)));
  t.false(accepts('😀'.repeat(129)));
  t.true(accepts(`${'a'.repeat(9)}😀`));
});

test('not only whitespace', (t) => {
  t.false(accepts(' '.repeat(12)));
  t.false(accepts(' \t\n\u00a0\u3000 \t\n\u00a0\u3000'));
  t.true(accepts(' correct horse '));
});

test('a clear message per rule', (t) => {
  t.is(NewPassword.safeParse('short').error?.issues[0]?.message, 'must be at least 10 characters');
  t.is(NewPassword.safeParse('a'.repeat(200)).error?.issues[0]?.message, 'must be at most 128 characters');
  t.is(NewPassword.safeParse(' '.repeat(10)).error?.issues[0]?.message, 'must not be only whitespace');
  t.false(accepts(undefined));
  t.false(accepts(1234567890));
});
