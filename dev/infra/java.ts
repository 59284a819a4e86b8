// Runs a main class from a Maven-resolved classpath on the installed JVM (JAVA_HOME, else `java` on PATH).
import path from 'node:path';
import { runToEnd, spawnDetached, type Detached } from './process-control';

export interface JavaCommand {
  /** Committed JVM options file, given to java as an @argument file (it may hold # comments). */
  readonly optionsFile?: string;
  /** Path-dependent system properties, as -Dname=value. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly extraOptions?: readonly string[];
  readonly classpath: readonly string[];
  readonly mainClass: string;
  readonly args?: readonly string[];
  /**
   * The JVM's timer slack in ns (Linux: every thread inherits it, and each timed sleep may end that much late), for a
   * server whose idle threads spin on very short sleeps; see withTimerSlack.
   */
  readonly timerSlackNs?: number;
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function javaArgs(command: JavaCommand): string[] {
  return [
    ...(command.optionsFile ? [`@${command.optionsFile}`] : []),
    ...Object.entries(command.properties ?? {}).map(([name, value]) => `-D${name}=${value}`),
    ...(command.extraOptions ?? []),
    '-cp',
    command.classpath.join(path.delimiter),
    command.mainClass,
    ...(command.args ?? []),
  ];
}

/** Starts a long-running JVM detached, its console output in logFile. */
export function startJava(command: JavaCommand, logFile: string): Detached {
  const [binary, args] =
    command.timerSlackNs === undefined
      ? [javaBinary(), javaArgs(command)]
      : withTimerSlack(command.timerSlackNs, javaBinary(), javaArgs(command));
  return spawnDetached(binary, args, logFile);
}

/**
 * The command run with its timer slack (Linux's PR_SET_TIMERSLACK) set to `ns`: a shell sets its own through
 * /proc/self/timerslack_ns and then becomes the command, whose threads inherit it. Where that file is missing or
 * refuses the value (not Linux), the command runs with the default slack.
 */
export function withTimerSlack(
  ns: number,
  command: string,
  args: readonly string[],
): [string, readonly string[]] {
  if (!Number.isSafeInteger(ns) || ns <= 0)
    throw new Error(`a timer slack is a positive integer of ns: ${ns}`);
  return [
    '/bin/sh',
    ['-c', '{ echo "$0" > /proc/self/timerslack_ns; } 2>/dev/null; exec "$@"', String(ns), command, ...args],
  ];
}

/** Runs a JVM to completion (a one-off tool), its output in logFile. */
export function runJava(command: JavaCommand, logFile: string): Promise<void> {
  return runToEnd(javaBinary(), javaArgs(command), logFile);
}
