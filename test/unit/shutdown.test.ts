import test from 'ava';
import { onShutdown, runShutdownHooks } from '../../shared/runtime/shutdown';

test.serial('hooks run newest first, once; a hook registered while closing runs too', async (t) => {
  const ran: string[] = [];
  onShutdown('pool', () => {
    ran.push('pool');
    // Work that finished during shutdown opened a producer: its hook arrives now.
    onShutdown('late producer', () => {
      ran.push('late producer');
      return Promise.resolve();
    });
    return Promise.resolve();
  });
  onShutdown('sink', () => {
    ran.push('sink');
    return Promise.reject(new Error('sink failed'));
  });
  const failures: string[] = [];
  await runShutdownHooks((name) => failures.push(name));
  t.deepEqual(ran, ['sink', 'pool', 'late producer']);
  t.deepEqual(failures, ['sink']);
  await runShutdownHooks(() => undefined);
  t.is(ran.length, 3, 'each hook runs once');
});
