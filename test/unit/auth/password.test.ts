import test from 'ava';
import { hash } from '@node-rs/argon2';
import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOrDummy,
} from '../../../shared/auth/password';

test('an argon2id hash with the OWASP parameters round-trips', async (t) => {
  const stored = await hashPassword('correct horse battery');
  t.regex(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.true(await verifyPassword(stored, 'correct horse battery'));
  t.false(await verifyPassword(stored, 'correct horse batterY'));
  t.not(await hashPassword('correct horse battery'), stored, 'salted');
});

test('composed and decomposed spellings of a password match', async (t) => {
  const composed = 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e';
  const decomposed = composed.normalize('NFD');
  t.not(composed, decomposed);
  t.true(await verifyPassword(await hashPassword(composed), decomposed));
});

test('the dummy verification of an unknown user answers false', async (t) => {
  t.false(await verifyPasswordOrDummy(undefined, 'correct horse battery'));
  t.false(await verifyPasswordOrDummy(undefined, ''));
  const stored = await hashPassword('correct horse battery');
  t.true(await verifyPasswordOrDummy(stored, 'correct horse battery'));
  t.false(await verifyPasswordOrDummy(stored, 'wrong password!'));
});

test('a hash made with other parameters needs a rehash', async (t) => {
  t.false(passwordNeedsRehash(await hashPassword('correct horse battery')));
  t.true(passwordNeedsRehash(await hash('correct horse battery', { memoryCost: 8192, timeCost: 3 })));
});
