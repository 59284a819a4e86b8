import { execFile } from 'node:child_process';
import test from 'ava';
import { isRunning } from '../../dev/infra/process-control';

test('a zombie (dead, not yet reaped) is not a running service', async (t) => {
  // `sleep 0` exits at once, but its parent has exec'ed into `sleep 5`, which never reaps it: a zombie for 5 s.
  const zombie = await new Promise<number>((resolve, reject) => {
    const parent = execFile('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5']);
    parent.once('error', reject);
    parent.stdout?.once('data', (pid: Buffer) => {
      resolve(Number(pid.toString().trim()));
    });
    t.teardown(() => parent.kill());
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.notThrows(() => {
    process.kill(zombie, 0); // the kernel still knows it: this is what made it look alive
  });
  t.false(isRunning(zombie, 'sleep'));
});

test('a live process with the marker in its command line is running; another marker is not', (t) => {
  t.true(isRunning(process.pid, 'node'));
  t.false(isRunning(process.pid, 'kafka.Kafka'));
});
