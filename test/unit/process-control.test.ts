import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { isRunning } from '../../dev/infra/process-control';

/** The process state letter of /proc/<pid>/stat ('Z' for a zombie), or undefined once the process is gone. */
function stateOf(pid: number): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

test('a zombie (dead, not yet reaped) is not a running service', async (t) => {
  // The background `sleep 1` exits after its parent has exec'ed into `sleep 10`, which never reaps it: a zombie.
  const parent = execFile('sh', ['-c', 'sleep 1 & echo $!; exec sleep 10']);
  t.teardown(() => parent.kill());
  const zombie = await new Promise<number>((resolve, reject) => {
    parent.once('error', reject);
    parent.stdout?.once('data', (pid: Buffer) => {
      resolve(Number(pid.toString().trim()));
    });
  });
  const deadline = Date.now() + 8000;
  while (stateOf(zombie) !== 'Z' && Date.now() < deadline) await sleep(50);
  t.is(stateOf(zombie), 'Z', 'the child became a zombie');
  t.notThrows(() => {
    process.kill(zombie, 0); // the kernel still knows it: this is what made it look alive
  });
  t.false(isRunning(zombie, 'sleep'));
});

test('a live process with the marker in its command line is running; another marker is not', (t) => {
  t.true(isRunning(process.pid, 'node'));
  t.false(isRunning(process.pid, 'kafka.Kafka'));
});
