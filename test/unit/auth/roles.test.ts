import test from 'ava';
import { requireRole, type Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';

const principal = (role: Principal['role']): Principal => ({
  userId: 'user-1',
  role,
  tokenId: 'token-1',
  sessionId: 'session-1',
  expiresAt: new Date(),
});

test('a customer is refused what needs an admin', (t) => {
  const error = t.throws(
    () => {
      requireRole(principal('customer'), 'admin');
    },
    { instanceOf: AppError },
  );
  t.is(error.kind, 'forbidden');
  t.is(error.code, 'AUTH.FORBIDDEN');
});

test('an admin may do what admins and customers may', (t) => {
  t.notThrows(() => {
    requireRole(principal('admin'), 'admin');
  });
  t.notThrows(() => {
    requireRole(principal('admin'), 'customer');
  });
  t.notThrows(() => {
    requireRole(principal('customer'), 'customer');
  });
});
