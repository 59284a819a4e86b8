// What a bundle was built from, kept beside dist/ so `npm start` and the tests rebuild only the bundles whose sources
// changed: rebuilding all of them takes a minute on a small machine, checking them takes well under a second.
// A record names every file esbuild read (its metafile's inputs) with a hash of its contents, and a hash of the
// recipe: what the build does with them (the build's own code, the lock file, the options, the Node version, whose
// V8 the code cache is for). A bundle is reused only when the recipe and every input are exactly as recorded.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const BuildRecord = z.object({
  recipe: z.string(),
  inputs: z.record(z.string(), z.string()),
});
export type BuildRecord = z.infer<typeof BuildRecord>;

/** Hashes file contents, each file once per build (the 32 bundles share most of their inputs). */
export class FileHashes {
  private readonly known = new Map<string, string | undefined>();

  /** The file's hash, or undefined when it cannot be read (removed since). */
  of(file: string): string | undefined {
    if (!this.known.has(file)) {
      let hash: string | undefined;
      try {
        hash = createHash('sha256').update(readFileSync(file)).digest('hex');
      } catch {
        hash = undefined;
      }
      this.known.set(file, hash);
    }
    return this.known.get(file);
  }
}

/** The hash of a recipe: every file and value that shapes a bundle besides its inputs. */
export function recipeHash(files: readonly string[], values: readonly string[], hashes: FileHashes): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${hashes.of(file) ?? 'absent'}\0`);
  for (const value of values) hash.update(`${value}\0`);
  return hash.digest('hex');
}

function recordFile(dist: string, name: string): string {
  return path.join(dist, '.records', `${name}.json`);
}

/** The record of a bundle (input paths relative to the project root); undefined when none is readable. */
export function readBuildRecord(dist: string, name: string): BuildRecord | undefined {
  try {
    return BuildRecord.parse(JSON.parse(readFileSync(recordFile(dist, name), 'utf8')));
  } catch {
    return undefined;
  }
}

/** True when the bundle was built by this recipe from inputs that are all unchanged. */
export function isUpToDate(
  record: BuildRecord | undefined,
  recipe: string,
  root: string,
  hashes: FileHashes,
): boolean {
  if (!record || record.recipe !== recipe) return false;
  return Object.entries(record.inputs).every(([file, hash]) => hashes.of(path.resolve(root, file)) === hash);
}

/** Removed before a bundle is rebuilt, so a build that stops half-way is never taken for a finished one. */
export function forgetBuildRecord(dist: string, name: string): void {
  rmSync(recordFile(dist, name), { force: true });
}

/**
 * The file-system clock may lag the wall clock by a tick: an input written this long before the build started is
 * still taken as written during it.
 */
const CLOCK_TICK_MS = 50;

/**
 * Written once the bundle is whole (code cache included); written beside and renamed, so it is read whole.
 * `startedAt` is when the build began reading its inputs: an input changed since may have been bundled as it was
 * before, while its hash, taken now, is of the new contents. Such a bundle gets no record, so the next build
 * rebuilds it rather than keep it as up to date.
 */
export function writeBuildRecord(
  dist: string,
  name: string,
  recipe: string,
  inputs: readonly string[],
  root: string,
  hashes: FileHashes,
  startedAt: number,
): void {
  const record: BuildRecord = { recipe, inputs: {} };
  for (const file of [...inputs].sort()) {
    const hash = hashes.of(file);
    // An input that is gone already cannot be checked later: no record, so the next build rebuilds.
    if (hash === undefined || changedSince(file, startedAt - CLOCK_TICK_MS)) return;
    record.inputs[path.relative(root, file)] = hash;
  }
  const file = recordFile(dist, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.${String(process.pid)}`, `${JSON.stringify(record, null, 1)}\n`);
  renameSync(`${file}.${String(process.pid)}`, file);
}

function changedSince(file: string, time: number): boolean {
  try {
    return statSync(file).mtimeMs >= time;
  } catch {
    return true;
  }
}
