import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Ports are chosen here for a process that binds them later (a function, a gateway, a Kafka broker). Were they
// drawn from the OS's ephemeral range (bind to port 0), any server or outgoing connection opened meanwhile could
// be given the same port: a test's server then received another test's probes. Linux draws ephemeral ports from
// 32768-60999 and macOS from 49152-65535, so ports below 32768 are only ever taken by someone who names them.
const LOWEST = 20_000;
const COUNT = 12_000;

// Between the choice and the bind, a port is free to anyone who looks. Several local stacks start at once in the
// test suite (ava runs files in parallel, and a stack migrates its databases before its functions bind), and two of
// them picking the same port sent one stack's gateway to the other's function. So a port chosen here is also
// claimed, for as long as this process lives: a file `<port>.<pid>` in a folder every process on the machine shares.
export const PORT_CLAIMS_DIR = path.join(tmpdir(), 'ecom-dev-port-claims');
const claimedHere = new Set<number>();

/** Whether nothing listens on `port` of 127.0.0.1 right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** `count` consecutive ports of 127.0.0.1 that nothing listens on, outside the ephemeral range; the first. */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = LOWEST + Math.floor(Math.random() * (COUNT - count));
    const ports = Array.from({ length: count }, (_, index) => first + index);
    if (!claimPorts(ports)) continue;
    let free = true;
    for (const port of ports) free = free && (await portIsFree(port));
    if (free) return first;
    releasePorts(ports);
  }
  throw new Error(`No ${String(count)} consecutive free ports found from ${String(LOWEST)}`);
}

/** A port of 127.0.0.1 that nothing listens on right now, outside the ephemeral range. */
export function freePort(): Promise<number> {
  return freePorts(1);
}

/**
 * Claims every port of `ports` for this process, or none. Each claimant writes its own file and then looks for
 * another living claimant's: of two that race for a port, both see each other and both let go, never both keep it.
 */
export function claimPorts(ports: readonly number[]): boolean {
  if (ports.some((port) => claimedHere.has(port))) return false;
  mkdirSync(PORT_CLAIMS_DIR, { recursive: true });
  for (const port of ports) {
    claimedHere.add(port);
    writeFileSync(claimFile(port, process.pid), '');
  }
  if (ports.every((port) => !claimedElsewhere(port))) return true;
  releasePorts(ports);
  return false;
}

function claimedElsewhere(port: number): boolean {
  const prefix = `${String(port)}.`;
  return readdirSync(PORT_CLAIMS_DIR)
    .filter((file) => file.startsWith(prefix))
    .map((file) => Number(file.slice(prefix.length)))
    .some((pid) => {
      if (pid === process.pid) return false;
      if (alive(pid)) return true;
      // A claimant that died without letting go (SIGKILL): its claim ends with it.
      removeClaim(port, pid);
      return false;
    });
}

/** Lets go of this process's claims on `ports`. */
export function releasePorts(ports: readonly number[]): void {
  for (const port of ports) {
    claimedHere.delete(port);
    removeClaim(port, process.pid);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function claimFile(port: number, pid: number): string {
  return path.join(PORT_CLAIMS_DIR, `${String(port)}.${String(pid)}`);
}

function removeClaim(port: number, pid: number): void {
  try {
    unlinkSync(claimFile(port, pid));
  } catch {
    // Already gone: another process cleared the dead claim first.
  }
}

process.once('exit', () => {
  releasePorts([...claimedHere]);
});
