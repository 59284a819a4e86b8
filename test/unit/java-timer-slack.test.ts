// dev/infra/java.ts: a JVM started with a timer slack runs with it, and so does every thread it starts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import test from 'ava';
import { withTimerSlack } from '../../dev/infra/java';

const run = promisify(execFile);
const defaultSlack = Number(readFileSync('/proc/self/timerslack_ns', 'utf8'));

test('the command runs with the slack given, its arguments untouched', async (t) => {
  const slack = defaultSlack * 20;
  // `sh -c` stands for the JVM: it reads its own slack, then what a process it starts inherits, and echoes an argument.
  const script = 'cat /proc/self/timerslack_ns; (cat /proc/self/timerslack_ns); echo "$1"';
  const [command, args] = withTimerSlack(slack, 'sh', [
    '-c',
    script,
    'sh',
    'an argument with "quotes" and $signs',
  ]);
  const { stdout } = await run(command, [...args]);
  t.deepEqual(stdout.trim().split('\n'), [
    String(slack),
    String(slack),
    'an argument with "quotes" and $signs',
  ]);
});

test('a slack that is not a positive whole number of ns is refused', (t) => {
  for (const slack of [0, -1, 1.5, Number.NaN])
    t.throws(() => withTimerSlack(slack, 'java', []), { message: /positive integer of ns/ });
});
