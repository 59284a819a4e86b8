// `tsx dev/proto-types.ts`: regenerates proto/generated/, the TypeScript types of every .proto under proto/, with
// @grpc/proto-loader's own generator (proto-loader-gen-types), so the types describe exactly what loadProto decodes.
// The output is committed; a test renders it again and compares, so it cannot drift from the protos.
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Options } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS } from '../shared/grpc/load-proto';

const root = path.resolve(__dirname, '..');
/** Where the committed types live; excluded from the protos to render. */
export const GENERATED_DIR = path.join(root, 'proto', 'generated');
const cliPath = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');

/**
 * The generator's flags for loader options, derived rather than written out, so changing PROTO_LOADER_OPTIONS makes
 * the committed types stale (and the freshness test fail) instead of silently wrong.
 */
export function genTypesFlags(options: Readonly<Options>): string[] {
  const flags: string[] = [];
  if (options.keepCase === true) flags.push('--keepCase');
  // The loader takes the constructors (Number, String); the generator takes their names.
  if (options.longs) flags.push(`--longs=${options.longs.name}`);
  if (options.enums) flags.push(`--enums=${options.enums.name}`);
  if (options.bytes) flags.push(`--bytes=${options.bytes.name}`);
  for (const flag of ['defaults', 'arrays', 'objects', 'oneofs', 'json'] as const) {
    if (options[flag] === true) flags.push(`--${flag}`);
  }
  return flags;
}

/** Every .proto under proto/ but the generated folder, relative to proto/ with `/`, sorted (stable output). */
async function protoFiles(): Promise<string[]> {
  const protoDir = path.join(root, 'proto');
  const generated = path.relative(protoDir, GENERATED_DIR) + path.sep;
  const entries = await readdir(protoDir, { recursive: true });
  return entries
    .filter((file) => file.endsWith('.proto') && !file.startsWith(generated))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/**
 * Renders the types of every proto into `outDir` (emptied first, so a removed proto leaves no stale types).
 * The generator's output compiles under our strict tsconfig as it is (type-only imports, no `enum`s), so there is no
 * post-processing.
 */
export async function renderProtoTypes(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const args = [
    cliPath,
    ...genTypesFlags(PROTO_LOADER_OPTIONS),
    // The proto comments become TSDoc on the generated fields.
    '--includeComments',
    '--grpcLib=@grpc/grpc-js',
    // Relative to the repository (the cwd below): the files say `// Original file: proto/user.proto`, the same on
    // every machine.
    '--includeDirs=proto',
    `--outDir=${outDir}`,
    ...(await protoFiles()),
  ];
  await promisify(execFile)(process.execPath, args, { cwd: root });
}

if (require.main === module) {
  renderProtoTypes(GENERATED_DIR).then(
    () => {
      console.log(`wrote ${path.relative(root, GENERATED_DIR)}/`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
