import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { credentials } from '@grpc/grpc-js';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { HEALTH_PROTO, HEALTH_SERVICE_NAME } from '../../shared/grpc/health-service';
import { loadProto } from '../../shared/grpc/load-proto';

/** One function running from its bundle in its own process, as on the cluster. */
export interface FunctionProcess {
  readonly definition: FunctionDefinition;
  readonly port: number;
  readonly url: string;
  /** The process serving it now: a crash replaces it (see {@link startFunctionProcess}). */
  pid(): number | undefined;
  /** The last lines the process serving it now wrote (what a crash report shows). */
  lastLines(): readonly string[];
  stop(): Promise<void>;
}

/** One process of a function, from its spawn to its exit. */
interface Run {
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its output is read. */
  readonly exited: Promise<number | null>;
  readonly lastLines: () => readonly string[];
}

/**
 * Starts `dist/<function>/index.js` on 127.0.0.1:`port` with `env`, its output prefixed with its name, and waits until it
 * is ready: `GET /healthz` for HTTP and CloudEvent functions, the gRPC health service for sidecars. A process that
 * exits after it was ready is started again on the same port, as Kubernetes restarts a crashed container (after a
 * delay that doubles while it keeps crashing): an event it was handling is delivered again by the broker.
 */
export async function startFunctionProcess(
  definition: FunctionDefinition,
  options: { readonly dist: string; readonly port: number; readonly env: NodeJS.ProcessEnv },
): Promise<FunctionProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const spawnRun = (): Run => {
    const child = spawn(process.execPath, [path.join(options.dist, definition.name, 'index.js')], {
      // Loopback only: on this machine the gateway and the broker ingress are what faces the user, not each function.
      env: { ...options.env, LISTEN_HOST: '127.0.0.1', PORT: String(options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lastLines = prefixOutput(child, definition.name);
    // 'close' rather than 'exit': the child's last lines are through its pipes, so a stop's log is complete.
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    return { child, exited, lastLines };
  };
  const stopRun = async ({ child, exited }: Run) => {
    const running = child.exitCode === null && child.signalCode === null;
    if (running) child.kill('SIGTERM');
    const killer = running ? setTimeout(() => child.kill('SIGKILL'), 15_000) : undefined;
    await exited;
    clearTimeout(killer);
  };
  const ready = (run: Run) =>
    Promise.race([
      waitReady(definition, url),
      run.exited.then((code) => {
        // Its last words in the error itself: a caller that shows only the error (a test) still shows why.
        throw new Error(
          `${definition.name} exited with ${String(code)} before it was ready; its last lines:\n${run.lastLines().join('\n')}`,
        );
      }),
    ]);

  let current = spawnRun();
  try {
    await ready(current);
  } catch (error) {
    // A child left running would outlive the stack and keep the caller's process alive through its pipes.
    await stopRun(current);
    throw error;
  }
  let stopping = false;
  let crashes = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const superviseFrom = (run: Run, startedAt: number) => {
    void run.exited.then((code) => {
      if (stopping) return;
      // A process that ran a minute crashed once; one that dies at once keeps doubling the wait, up to 30 s.
      crashes = Date.now() - startedAt > 60_000 ? 1 : crashes + 1;
      const delayMs = Math.min(30_000, 500 * 2 ** (crashes - 1));
      const how = run.child.signalCode ?? `code ${String(code)}`;
      process.stdout.write(
        `${definition.name.padEnd(18)} | exited (${how}); starting it again in ${String(delayMs)} ms\n`,
      );
      restartTimer = setTimeout(() => {
        if (stopping) return;
        current = spawnRun();
        superviseFrom(current, Date.now());
        // A start that fails exits, and the supervision above starts it again later.
        ready(current).catch(() => undefined);
      }, delayMs);
    });
  };
  superviseFrom(current, Date.now());
  return {
    definition,
    port: options.port,
    url,
    pid: () => current.child.pid,
    lastLines: () => current.lastLines(),
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      await stopRun(current);
    },
  };
}

/** Prints the child's lines prefixed with its name; answers a reader of its last {@link KEPT_LINES} lines. */
function prefixOutput(child: ChildProcess, name: string): () => readonly string[] {
  const kept: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        process.stdout.write(`${name.padEnd(18)} | ${line}\n`);
        kept.push(line);
        if (kept.length > KEPT_LINES) kept.shift();
      }
    });
  }
  return () => kept;
}

const KEPT_LINES = 10;

// Generous: on a small machine busy with other stacks (the tests run two files at once) a start took over 30 s.
async function waitReady(definition: FunctionDefinition, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = definition.trigger.kind === 'grpc' ? await grpcProbe(url) : httpProbe(url);
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${definition.name} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function httpProbe(url: string): () => Promise<boolean> {
  return async () => (await fetch(`${url}/healthz`)).ok;
}

async function grpcProbe(url: string): Promise<() => Promise<boolean>> {
  const Health = (await loadProto(HEALTH_PROTO)).client(HEALTH_SERVICE_NAME);
  return () =>
    new Promise<boolean>((resolve) => {
      const client = new Health(new URL(url).host, credentials.createInsecure());
      const check = Health.service['Check'];
      if (!check) {
        resolve(false);
        return;
      }
      client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service: '' },
        (error, response?: { status?: string }) => {
          client.close();
          resolve(!error && response?.status === 'SERVING');
        },
      );
    });
}
