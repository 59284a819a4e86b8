import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { claimPorts, freePort, PORT_CLAIMS_DIR, releasePorts } from '../../dev/local-stack/free-port';

// A local stack chooses a port for each of its functions before any of them binds: a port chosen twice sent the
// gateway's calls for one function to another (seen in CI as a 404 from GET /v1/users/me).
test('ports chosen one after the other, before anything binds them, are all different', async (t) => {
  const ports: number[] = [];
  for (let index = 0; index < 300; index++) ports.push(await freePort());
  t.is(new Set(ports).size, ports.length);
  releasePorts(ports);
});

/** A process that lives until it is killed, and a promise of its end. */
function livingProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const ended = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return { pid: child.pid ?? 0, kill: () => child.kill('SIGKILL'), ended };
}

test('a port another living process claimed is not claimed again; once it has died, it is', async (t) => {
  const other = livingProcess();
  t.teardown(() => other.kill());
  const port = 31_000 + (process.pid % 900);
  mkdirSync(PORT_CLAIMS_DIR, { recursive: true });
  const othersClaim = path.join(PORT_CLAIMS_DIR, `${String(port)}.${String(other.pid)}`);
  writeFileSync(othersClaim, '');

  t.false(claimPorts([port, port + 1]), 'the other process holds it');
  t.true(claimPorts([port + 1]), 'a port of a refused range is not kept claimed');
  releasePorts([port + 1]);

  other.kill();
  await other.ended;
  t.true(claimPorts([port]), "a dead process's claim ends with it");
  t.false(existsSync(othersClaim), 'and its file is cleared');
  t.false(claimPorts([port]), 'this process does not claim a port twice');
  releasePorts([port]);
  t.true(claimPorts([port]), 'released, it can be claimed again');
  releasePorts([port]);
});
