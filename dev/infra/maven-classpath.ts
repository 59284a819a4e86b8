// Turns a dependency-only pom.xml into a Java classpath with Maven. The jars stay in the Maven local
// repository (~/.m2, or INFRA_MAVEN_REPO): nothing is copied, and later runs and other checkouts reuse them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runToEnd } from './process-control';

/** Pinned so the result does not depend on which plugin version Maven would pick today. */
const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

// Maven 3.8 does not lock its local repository: run one Maven at a time even when services start in parallel.
let mavenQueue: Promise<unknown> = Promise.resolve();

/**
 * The runtime classpath of pom, cached in outDir/classpath.txt. Maven runs again only when the pom or the
 * Maven repository changed, or a jar has gone missing (a cleaned ~/.m2).
 */
export async function mavenClasspath(
  pom: string,
  outDir: string,
  mavenRepo: string | undefined,
  progress: (step: string) => void,
): Promise<readonly string[]> {
  const classpathFile = path.join(outDir, 'classpath.txt');
  const stampFile = path.join(outDir, 'classpath.stamp');
  const stamp = createHash('sha256')
    .update(readFileSync(pom))
    .update(mavenRepo ?? '~/.m2')
    .digest('hex');
  const cached = readCached(classpathFile, stampFile, stamp);
  if (cached) return cached;

  const run = mavenQueue.then(async () => {
    progress(
      `resolving the classpath with Maven into ${mavenRepo ?? '~/.m2'} (a first run downloads the jars) ...`,
    );
    const started = Date.now();
    await resolveWithMaven(pom, outDir, classpathFile, mavenRepo);
    progress(`classpath resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  mavenQueue = run.catch(() => undefined);
  await run;
  writeFileSync(stampFile, `${stamp}\n`);
  const jars = readCached(classpathFile, stampFile, stamp);
  if (!jars) throw new Error(`Maven wrote no usable classpath to ${classpathFile}`);
  return jars;
}

function readCached(classpathFile: string, stampFile: string, stamp: string): string[] | undefined {
  if (!existsSync(classpathFile) || !existsSync(stampFile)) return undefined;
  if (readFileSync(stampFile, 'utf8').trim() !== stamp) return undefined;
  const jars = readFileSync(classpathFile, 'utf8').trim().split(path.delimiter).filter(Boolean);
  return jars.length > 0 && jars.every((jar) => existsSync(jar)) ? jars : undefined;
}

async function resolveWithMaven(
  pom: string,
  outDir: string,
  classpathFile: string,
  mavenRepo: string | undefined,
) {
  mkdirSync(outDir, { recursive: true });
  const partial = `${classpathFile}.partial`; // renamed when complete: an interrupted run leaves no half file
  const args = [
    '--batch-mode',
    '--quiet',
    '-Dstyle.color=never',
    '--file',
    pom,
    `${dependencyPlugin}:build-classpath`,
    '-Dmdep.includeScope=runtime',
    `-Dmdep.outputFile=${partial}`,
    ...(mavenRepo ? [`-Dmaven.repo.local=${mavenRepo}`] : []),
  ];
  const log = path.join(outDir, 'maven.log');
  // Offline first: with the jars already in the repository it skips checking remote metadata (seconds on
  // every fresh data folder); only when something is missing does Maven go online.
  await runToEnd('mvn', ['--offline', ...args], log).catch(() => runToEnd('mvn', args, log));
  renameSync(partial, classpathFile);
}
