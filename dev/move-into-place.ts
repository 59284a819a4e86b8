// How a finished build folder takes its place in dist/, also when another process builds the same bundle at once
// (two `npm test` workers, or `npm start` beside the tests, finding the same bundle out of date).
import { renameSync, rmSync } from 'node:fs';

/**
 * Moves `outDir` (a whole bundle, built beside) to `finalDir`, and removes the folder it replaces. Another process
 * may be moving its own build of the same bundle in at the same time: whichever is in place when this one moves
 * stays, and this one's build is dropped (both were built from the same inputs). Neither process fails, and a
 * process starting from `finalDir` finds one whole bundle or, for the moment between the two renames, none.
 */
export function moveIntoPlace(outDir: string, finalDir: string): void {
  const previous = `${finalDir}.old-${String(process.pid)}`;
  rmSync(previous, { recursive: true, force: true });
  try {
    renameSync(finalDir, previous);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error; // the first build, or another process moved it aside just now
  }
  try {
    renameSync(outDir, finalDir);
  } catch (error) {
    // Another process's build landed between the two renames.
    if (!hasCode(error, 'ENOTEMPTY') && !hasCode(error, 'EEXIST')) throw error;
    rmSync(outDir, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
}

function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
