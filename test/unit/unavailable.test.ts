// Which failures are "the service is unavailable" (503, gRPC UNAVAILABLE, redelivery) and which are bugs (500):
// shared/errors/unavailable.ts, the one classification the three answers share.
import test from 'ava';
import { AppError } from '../../shared/errors/app-error';
import { asAppError, isUnavailable, SERVICE_UNAVAILABLE } from '../../shared/errors/unavailable';

const named = (name: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error('driver detail'), { name }, fields);
const coded = (code: unknown) => Object.assign(new Error('driver detail'), { code });

test('unreachable stores, lost connections, timeouts and lasting deadlocks are unavailability', (t) => {
  const cases = {
    'connection refused (sequelize)': named('SequelizeConnectionRefusedError'),
    'pool exhausted': named('SequelizeConnectionAcquireTimeoutError'),
    'SQLite busy after its timeout': named('SequelizeTimeoutError'),
    'lost connection inside a query': named('SequelizeDatabaseError', {
      original: coded('PROTOCOL_CONNECTION_LOST'),
    }),
    'deadlock after the retries': named('SequelizeDatabaseError', { parent: coded('ER_LOCK_DEADLOCK') }),
    'too many connections': named('SequelizeConnectionError', { original: coded('ER_CON_COUNT_ERROR') }),
    'refused socket': coded('ECONNREFUSED'),
    'reset socket': coded('ECONNRESET'),
    'no Cassandra host': named('NoHostAvailableError'),
    'Cassandra timeout': named('OperationTimedOutError'),
    'Cassandra overloaded': named('ResponseError', { code: 0x1001 }),
    'Cassandra write timeout': named('ResponseError', { code: 0x1100 }),
    'a cause three levels down': new Error('outer', {
      cause: new Error('middle', { cause: coded('ETIMEDOUT') }),
    }),
  };
  for (const [what, error] of Object.entries(cases)) {
    t.true(isUnavailable(error), what);
    t.like(asAppError(error), { kind: 'unavailable', code: SERVICE_UNAVAILABLE }, what);
    t.is(asAppError(error)?.cause, error, `${what}: the cause is kept for the log`);
    t.notRegex(asAppError(error)?.message ?? '', /driver detail/, what);
  }
});

test('anything else is a bug, and an AppError stays as it is', (t) => {
  const bugs = {
    'a syntax error': named('SequelizeDatabaseError', { original: coded('ER_PARSE_ERROR') }),
    'a unique key': named('SequelizeUniqueConstraintError'),
    'a Cassandra syntax error': named('ResponseError', { code: 0x2000 }),
    'a TypeError': new TypeError('undefined is not a function'),
    'a string': 'boom',
    'a code that is not a string': coded(1213),
  };
  for (const [what, error] of Object.entries(bugs)) {
    t.false(isUnavailable(error), what);
    t.is(asAppError(error), undefined, what);
  }
  const known = new AppError('conflict', 'USER.EMAIL_TAKEN', 'taken');
  t.is(asAppError(known), known);
});
