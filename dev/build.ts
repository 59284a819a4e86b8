// `npm run build`: one bundle per function, functions/<service>/<function>/index.ts -> dist/<function>/index.js.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundle } from './bundle';

const root = path.resolve(__dirname, '..');

/** Every function folder: a directory two levels under functions/ with an index.ts. */
export function functionEntries(): { name: string; entry: string }[] {
  const functionsDir = path.join(root, 'functions');
  const entries: { name: string; entry: string }[] = [];
  if (!existsSync(functionsDir)) return entries;
  for (const service of readdirSync(functionsDir, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const fn of readdirSync(path.join(functionsDir, service.name), { withFileTypes: true })) {
      const entry = path.join(functionsDir, service.name, fn.name, 'index.ts');
      if (fn.isDirectory() && existsSync(entry)) entries.push({ name: fn.name, entry });
    }
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

async function main(): Promise<void> {
  const dist = path.join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const entries = functionEntries();
  const results = await Promise.all(
    entries.map(({ name, entry }) => bundle(entry, path.join(dist, name, 'index.js'))),
  );
  for (const { outfile, bytes } of results) {
    console.log(`${path.relative(root, outfile).padEnd(40)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  }
  console.log(`${results.length} function bundle(s) in dist/`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
