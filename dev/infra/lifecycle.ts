// What `up`, `down` and `status` do with any service; kafka.ts, cassandra.ts and mariadb.ts say how.
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  isRunning,
  readPidFile,
  stopProcess,
  withLock,
  writePidFile,
  type Detached,
} from './process-control';
import { waitUntil } from './wait-until';

export interface Service {
  readonly name: string;
  /** Where clients connect. */
  readonly address: string;
  /** The service's folder under .data: config, data, logs, PID file. */
  readonly dir: string;
  readonly pidFile: string;
  /** A string in the service's command line, so a recycled PID is never taken for (or killed as) ours. */
  readonly processMarker: string;
  readonly readyTimeoutMs: number;
  /** The logs whose tails explain a failed start. */
  readonly logFiles: readonly string[];
  /** Resolves with the service's version once it really answers a query; rejects otherwise. */
  probe(): Promise<string>;
  /** Writes config, prepares storage, then starts the process detached. progress gets the slow steps. */
  start(progress: (step: string) => void): Promise<Detached>;
}

export interface UpResult {
  readonly how: 'reused' | 'started' | 'adopted';
  readonly version: string;
  readonly pid: number | undefined;
  readonly readyMs: number;
}

/** The PID from the service's PID file when that process still runs; removes a stale PID file. */
export function livePid(service: Service): number | undefined {
  const pid = readPidFile(service.pidFile);
  if (pid !== undefined && isRunning(pid, service.processMarker)) return pid;
  rmSync(service.pidFile, { force: true });
  return undefined;
}

async function answer(service: Service): Promise<string | undefined> {
  return service.probe().catch(() => undefined);
}

/**
 * Makes the service answer: reuses one that already does (whoever started it), waits for one this project
 * started earlier that is still starting ("adopted"), or starts it. On failure a started process is stopped.
 */
export async function up(service: Service, progress: (step: string) => void): Promise<UpResult> {
  const started = Date.now();
  const result = (how: UpResult['how'], version: string, pid: number | undefined): UpResult => ({
    how,
    version,
    pid,
    readyMs: Date.now() - started,
  });
  const running = await answer(service);
  if (running !== undefined) return result('reused', running, livePid(service));

  const lockFile = path.join(service.dir, 'start.lock');
  return withLock(lockFile, service.readyTimeoutMs + 120_000, async () => {
    const startedMeanwhile = await answer(service); // by another `up` that held the lock
    if (startedMeanwhile !== undefined) return result('reused', startedMeanwhile, livePid(service));

    const earlier = livePid(service);
    const child: Detached =
      earlier === undefined
        ? await service.start(progress)
        : { pid: earlier, isAlive: () => isRunning(earlier, service.processMarker) };
    writePidFile(service.pidFile, child.pid);
    try {
      const version = await waitUntil(service.name, () => service.probe(), {
        timeoutMs: service.readyTimeoutMs,
        isAlive: child.isAlive,
      });
      return result(earlier === undefined ? 'started' : 'adopted', version, child.pid);
    } catch (error) {
      // Leave nothing half-started behind: the next `up` starts from a clean state.
      if (child.isAlive()) await stopProcess(child.pid, service.processMarker, 30_000);
      rmSync(service.pidFile, { force: true });
      throw error;
    }
  });
}

/** Stops the process this project started (SIGTERM, SIGKILL after a timeout); a foreign one is left alone. */
export async function down(service: Service): Promise<string> {
  const pid = livePid(service);
  if (pid === undefined) return 'not running (no live PID file)';
  const how = await stopProcess(pid, service.processMarker, 60_000);
  rmSync(service.pidFile, { force: true });
  return how === 'stopped' ? `stopped (pid ${pid})` : `killed after the timeout (pid ${pid})`;
}

export interface Status {
  readonly state: 'running' | 'starting' | 'stopped';
  readonly pid: number | undefined;
  readonly version: string | undefined;
}

export async function status(service: Service): Promise<Status> {
  const pid = livePid(service);
  const version = await answer(service);
  if (version !== undefined) return { state: 'running', pid, version };
  return { state: pid === undefined ? 'stopped' : 'starting', pid, version };
}
