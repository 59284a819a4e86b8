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
  return spawnDetached(javaBinary(), javaArgs(command), logFile);
}

/** Runs a JVM to completion (a one-off tool), its output in logFile. */
export function runJava(command: JavaCommand, logFile: string): Promise<void> {
  return runToEnd(javaBinary(), javaArgs(command), logFile);
}
