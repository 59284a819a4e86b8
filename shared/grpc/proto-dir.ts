import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the .proto files are, for the source tree and for a function bundle alike:
 *
 * 1. `PROTO_DIR` when set (absolute, or relative to the working directory): the explicit override.
 * 2. `<dir of the running code>/proto`: a bundle runs from `dist/<fn>/index.js`, where `__dirname` is `dist/<fn>`
 *    and the build copies `proto/` beside it (`dist/<fn>/proto/user.proto`, `.../grpc/health/v1/health.proto`).
 * 3. `<dir of the running code>/../../proto`: the source tree, where this file is `shared/grpc/proto-dir.ts`.
 *
 * The bundle candidate comes first: from `dist/<fn>/` the source candidate would be the repository's own proto/,
 * which is right locally but absent in the container image.
 * Called when a server starts, never at import time.
 *
 * @throws Error naming every candidate when none is a directory.
 */
export function resolveProtoDir(env: NodeJS.ProcessEnv = process.env, codeDir: string = __dirname): string {
  const explicit = env['PROTO_DIR'];
  if (explicit !== undefined && explicit !== '') {
    const dir = path.resolve(explicit);
    if (!existsSync(dir)) throw new Error(`PROTO_DIR=${explicit}: no such directory`);
    return dir;
  }
  const candidates = [path.join(codeDir, 'proto'), path.resolve(codeDir, '../../proto')];
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) {
    throw new Error(`No proto directory: set PROTO_DIR, or put proto/ at ${candidates.join(' or ')}`);
  }
  return found;
}
