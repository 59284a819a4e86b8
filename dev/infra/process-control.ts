// Starting, finding and stopping the service processes with plain Node APIs.
// Services run detached (own session, output to a log file) so they outlive `npm run infra:up`; a PID file
// per service lets later runs find them again.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A failure whose explanation is in a log file: the CLI prints the file's tail with the message. */
export class LoggedError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
  ) {
    super(message);
  }
}

export interface Detached {
  readonly pid: number;
  /** False once the process has exited: lets a readiness wait fail fast instead of timing out. */
  readonly isAlive: () => boolean;
}

/** Starts a long-running process that survives this one, stdout and stderr appended to logFile. */
export function spawnDetached(command: string, args: readonly string[], logFile: string): Detached {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
    let exited = false;
    child.on('exit', () => (exited = true));
    // A missing binary is reported asynchronously; it also counts as "exited".
    child.on('error', (error) => {
      exited = true;
      writeFileSync(logFile, `${command}: ${error.message}\n`, { flag: 'a' });
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command} (is it installed?)`);
    return { pid: child.pid, isAlive: () => !exited };
  } finally {
    closeSync(log);
  }
}

/** Runs a command to completion with its output in logFile; rejects with the exit code on failure. */
export function runToEnd(command: string, args: readonly string[], logFile: string): Promise<void> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'w');
  try {
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    return new Promise<void>((resolve, reject) => {
      child.on('error', (error) => {
        reject(new LoggedError(`${command}: ${error.message} (is it installed?)`, logFile));
      });
      child.on('exit', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new LoggedError(`${path.basename(command)} failed (${signal ?? `exit code ${code}`})`, logFile),
          );
      });
    });
  } finally {
    closeSync(log); // the child has its own copy of the descriptor
  }
}

/** The command line of a live process, or undefined when there is none. */
function commandLine(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  try {
    // A zombie (killed, not yet reaped by its parent) still answers kill(pid, 0) but has an empty command line:
    // it is dead, and taking it for a live service once made `up` adopt it and then fail when it was reaped.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline === '' ? undefined : cmdline;
  } catch {
    return existsSync('/proc/self') ? undefined : ''; // no /proc (macOS): trust kill(pid, 0)
  }
}

/** True when pid is alive and its command line contains marker: a recycled PID is not mistaken for ours. */
export function isRunning(pid: number, marker: string): boolean {
  const cmdline = commandLine(pid);
  return cmdline !== undefined && (cmdline === '' || cmdline.includes(marker));
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(file: string, pid: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${pid}\n`);
}

/** SIGTERM (both JVMs shut down cleanly on it), then SIGKILL when the process outlives timeoutMs. */
export async function stopProcess(
  pid: number,
  marker: string,
  timeoutMs: number,
): Promise<'stopped' | 'killed'> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, marker)) return 'stopped';
    await sleep(200);
  }
  signal('SIGKILL');
  while (isRunning(pid, marker)) await sleep(100);
  return 'killed';
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * What a log file received since offset (its size before the start), for error messages: the first error
 * lines, since the cause is often followed by a long shutdown sequence, and the last lines.
 */
export function logSince(file: string, offset: number): { errors: string[]; tail: string[] } {
  let text: string;
  try {
    text = readFileSync(file).subarray(offset).toString('utf8').trimEnd();
  } catch {
    return { errors: [], tail: [] };
  }
  const lines = text === '' ? [] : text.split('\n');
  const errors = lines.filter((line) => /\b(ERROR|FATAL|Caused by)\b|^\S*(Exception|Error)\b/.test(line));
  return { errors: errors.slice(0, 12), tail: lines.slice(-40) };
}

/** Creates file with text unless it exists: false when it does. */
function createExclusive(file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

/**
 * Runs fn while holding an exclusive lock file, so two `infra:up` running at the same time (two terminals,
 * two test runs) do not both start a service on the same data folder. A dead run's lock is taken over.
 */
export async function withLock<T>(lockFile: string, waitMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (!createExclusive(lockFile, `${process.pid}\n`)) {
    const owner = readPidFile(lockFile);
    // An empty lock file is one being written right now, unless it is old.
    const stale = owner === undefined ? Date.now() - mtimeMs(lockFile) > 5_000 : !isRunning(owner, 'node');
    if (stale) rmSync(lockFile, { force: true });
    else if (Date.now() > deadline) throw new Error(`${lockFile} is held by process ${owner}`);
    else await sleep(500);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
