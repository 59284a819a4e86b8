// skaffold's dependencies command for a function's image (skaffold.yaml: `custom.dependencies.command`): prints,
// as a JSON array, the files that image is built from, so that `skaffold dev` rebuilds and rolls only the
// functions an edit touches. They are the files esbuild read for the function's bundle (its metafile, kept in the
// build record; the packages' own files are stood for by the lock file), what shapes the build, and the Dockerfile.
// A service's migration image (`<service>-migrate`) is listed the same way, from its program's bundle.
// Run: npx tsx dev/deploy/image-inputs.ts <function | service-migrate>
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  buildFunction,
  buildMigrationProgram,
  functionDefinition,
  functionFolders,
  migrationPrograms,
  migrationRecipeFiles,
  recipeFiles,
} from '../build';
import { FileHashes, readBuildRecord } from '../build-record';

const root = path.resolve(__dirname, '../..');

/** The image's inputs, relative to the project root, sorted; builds the bundle first when it is not up to date. */
export async function imageInputs(name: string, hashes: FileHashes = new FileHashes()): Promise<string[]> {
  const dist = path.join(root, 'dist');
  const folder = functionFolders().find((candidate) => candidate.name === name);
  const program = migrationPrograms().find((candidate) => candidate.name === name);
  let recipeOf: string[];
  if (folder) {
    await buildFunction(folder, dist, hashes);
    recipeOf = recipeFiles(functionDefinition(folder));
  } else if (program) {
    await buildMigrationProgram(program, dist, hashes);
    recipeOf = migrationRecipeFiles();
  } else throw new Error(`no such function or migration program: ${name}`);
  const record = readBuildRecord(dist, name);
  if (!record) throw new Error(`the build of ${name} left no record`);
  const bundled = Object.keys(record.inputs).filter((file) => !file.startsWith('node_modules/'));
  const recipe = recipeOf.map((file) => path.relative(root, file));
  const patches = readdirSync(path.join(root, 'patches')).map((file) => `patches/${file}`);
  return [...new Set(['Dockerfile', ...patches, ...recipe, ...bundled])].sort();
}

if (require.main === module) {
  const [name] = process.argv.slice(2);
  imageInputs(name ?? '').then(
    (files) => {
      console.log(JSON.stringify(files));
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
