// `npm run build`: one bundle per function, functions/<service>/<function>/index.ts -> dist/<function>/index.js.
// gRPC functions get the proto files beside their bundle (dist/<function>/proto), where shared/grpc looks first.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FunctionDefinition } from '../shared/runtime/function-definition';
import { bundle } from './bundle';

const root = path.resolve(__dirname, '..');
const load = createRequire(__filename);

export interface FunctionFolder {
  readonly name: string;
  readonly dir: string;
  readonly entry: string;
}

/** Every function folder: a directory two levels under functions/ with an index.ts. */
export function functionFolders(): FunctionFolder[] {
  const functionsDir = path.join(root, 'functions');
  const folders: FunctionFolder[] = [];
  if (!existsSync(functionsDir)) return folders;
  for (const service of readdirSync(functionsDir, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const fn of readdirSync(path.join(functionsDir, service.name), { withFileTypes: true })) {
      const dir = path.join(functionsDir, service.name, fn.name);
      const entry = path.join(dir, 'index.ts');
      if (fn.isDirectory() && existsSync(entry)) folders.push({ name: fn.name, dir, entry });
    }
  }
  return folders.sort((a, b) => a.name.localeCompare(b.name));
}

/** A folder's declaration (function.ts); its name must be the folder's, which is the deployed name. */
export function functionDefinition(folder: FunctionFolder): FunctionDefinition {
  // require, not import(): under tsx's CommonJS hook (the tests) only require compiles TypeScript.
  const { definition } = load(path.join(folder.dir, 'function.ts')) as { definition: FunctionDefinition };
  if (definition.name !== folder.name) {
    throw new Error(`${folder.dir}/function.ts declares "${definition.name}", not the folder's name`);
  }
  return definition;
}

async function build(folder: FunctionFolder, dist: string): Promise<string> {
  const definition = functionDefinition(folder);
  const outDir = path.join(dist, folder.name);
  const { bytes } = await bundle(folder.entry, path.join(outDir, 'index.js'));
  if (definition.trigger.kind === 'grpc')
    cpSync(path.join(root, 'proto'), path.join(outDir, 'proto'), { recursive: true });
  return `${path.relative(root, outDir).padEnd(28)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${definition.trigger.kind}`;
}

async function main(): Promise<void> {
  const dist = path.join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const folders = functionFolders();
  const lines = await Promise.all(folders.map((folder) => build(folder, dist)));
  for (const line of lines) console.log(line);
  console.log(`${lines.length} function bundle(s) in dist/`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
