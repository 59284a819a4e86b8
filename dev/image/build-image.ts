// `npm run image -- <function...>`: builds each function's image with buildah from what `npm run build` put in
// dist/<function>/, where the Dockerfile would run npm inside the build (which cannot reach the registry on these
// machines). The base is the Dockerfile's runtime base, made offline by base-image.sh (run first, a no-op when it is
// up to date). Each function's build context is staged under .data/image/<function>/ (see Dockerfile.prebuilt):
// its dist folder and the native modules it lists, copied from the host's node_modules.
// Prints each image's name, size and build time. Run as root (buildah, chroot isolation, vfs storage).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { z } from 'zod';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/** buildah with the image scripts' storage options (buildah.sh). */
export const BUILDAH = path.join(__dirname, 'buildah.sh');
const BASE_IMAGE_SCRIPT = path.join(__dirname, 'base-image.sh');
const CONTAINERFILE = path.join(__dirname, 'Dockerfile.prebuilt');

/** Runs buildah.sh with `args`; its output, or an error carrying its stderr. */
export async function buildah(args: readonly string[]): Promise<string> {
  // Images of 200 MB are listed and inspected in JSON well within this.
  const { stdout } = await run(BUILDAH, [...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The image the Dockerfile's runtime stage (its last FROM) starts from: what base-image.sh makes. */
export function runtimeBase(dockerfile = path.join(root, 'Dockerfile')): string {
  const froms = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .map((line) => /^FROM\s+(\S+)/i.exec(line.trim())?.[1])
    .filter((image): image is string => image !== undefined);
  const base = froms.at(-1);
  if (base === undefined) throw new Error(`${dockerfile} has no FROM`);
  return base;
}

/** The name a function's CI image is tagged with: skaffold's image name, tag `ci`. */
export function imageName(fn: string): string {
  return `dev.local/ecom/${fn}:ci`;
}

const PackageJson = z.object({
  version: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});

function readPackageJson(dir: string): z.infer<typeof PackageJson> {
  return PackageJson.parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
}

/** Where Node's resolution finds package `name` from `dir` (a folder under the root): the nearest node_modules. */
function resolvePackage(name: string, dir: string): string | undefined {
  for (let at = dir; at.startsWith(root); at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (at === root) break;
  }
  return undefined;
}

/**
 * The packages a function's image needs beside its bundle: the externals its dist/<function>/package.json lists (at
 * the versions it names), and every package they depend on, found as Node would find them from the host's
 * node_modules. An optional dependency that is not installed is another platform's build (argon2 lists one per
 * platform, npm installed this one's). Folders relative to the root, each once, sorted.
 */
export function nativeModuleFolders(fnDist: string): string[] {
  const found = new Set<string>();
  const visit = (name: string, from: string, wanted: string | undefined, optional: boolean): void => {
    const dir = resolvePackage(name, from);
    if (dir === undefined) {
      if (optional) return;
      throw new Error(
        `${name} (needed by ${path.relative(root, from) || 'the bundle'}) is not installed: npm ci`,
      );
    }
    const relative = path.relative(root, dir);
    if (found.has(relative)) return;
    const pkg = readPackageJson(dir);
    if (wanted !== undefined && pkg.version !== wanted) {
      throw new Error(
        `${relative} is ${pkg.version ?? 'unversioned'}, the bundle was built for ${wanted}: npm ci`,
      );
    }
    found.add(relative);
    for (const dependency of Object.keys(pkg.dependencies ?? {})) visit(dependency, dir, undefined, false);
    for (const dependency of Object.keys(pkg.optionalDependencies ?? {}))
      visit(dependency, dir, undefined, true);
  };
  for (const [name, version] of Object.entries(readPackageJson(fnDist).dependencies ?? {})) {
    visit(name, root, version, false);
  }
  return [...found].sort();
}

/**
 * Stages the build context of `fn`'s image in `context`: app/ (dist/<fn>/ and its native modules under
 * app/node_modules, laid out as on the host) and write-code-cache.js. Returns the bytes of app/.
 */
export async function stageContext(fn: string, context: string): Promise<number> {
  const fnDist = path.join(root, 'dist', fn);
  if (!existsSync(path.join(fnDist, 'index.js'))) {
    throw new Error(`dist/${fn}/index.js is missing: npm run build -- ${fn}`);
  }
  rmSync(context, { recursive: true, force: true });
  const app = path.join(context, 'app');
  mkdirSync(app, { recursive: true });
  // Its cache, made by the host's Node, is replaced in the image (Dockerfile.prebuilt), so it is not copied.
  cpSync(fnDist, app, { recursive: true, filter: (source) => !source.endsWith('function.js.cache') });
  for (const folder of nativeModuleFolders(fnDist)) {
    cpSync(path.join(root, folder), path.join(app, folder), { recursive: true });
  }
  await build({
    entryPoints: [path.join(__dirname, 'write-code-cache.ts')],
    outfile: path.join(context, 'write-code-cache.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  return folderBytes(app);
}

function folderBytes(dir: string): number {
  const stat = statSync(dir);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(dir).reduce((sum, name) => sum + folderBytes(path.join(dir, name)), 0);
}

export interface FunctionImage {
  readonly function: string;
  readonly name: string;
  readonly id: string;
  /** The image's size as buildah reports it (its own rounding, in MB). */
  readonly size: string;
  /** What the function adds to the base: its dist folder and native modules. */
  readonly appBytes: number;
  readonly seconds: number;
}

/** The ID of the image tagged `name`, if there is one. */
async function imageId(name: string): Promise<string | undefined> {
  try {
    return (await buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', name])).trim();
  } catch {
    return undefined;
  }
}

/** The size buildah gives for an image (e.g. "209 MB"). */
export async function imageSize(name: string): Promise<string> {
  return (await buildah(['images', '--format', '{{.Size}}', name])).trim();
}

const ImageInspection = z.object({
  OCIv1: z.object({
    config: z.object({
      User: z.string().optional(),
      Cmd: z.array(z.string()).optional(),
      Env: z.array(z.string()).optional(),
      WorkingDir: z.string().optional(),
    }),
  }),
});
export type ImageConfig = z.infer<typeof ImageInspection>['OCIv1']['config'];

/** An image's run configuration: its user, command, environment and working directory. */
export async function imageConfig(name: string): Promise<ImageConfig> {
  // This buildah's --format templates have no json function: the whole inspection is read instead.
  return ImageInspection.parse(JSON.parse(await buildah(['inspect', '--type', 'image', name]))).OCIv1.config;
}

/** Makes the base image unless it is up to date (base-image.sh); what the script printed. */
export async function ensureBaseImage(): Promise<string> {
  const { stdout } = await run('bash', [BASE_IMAGE_SCRIPT], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Builds `fn`'s image from dist/<fn>/ (the base must exist: {@link ensureBaseImage}). */
export async function buildFunctionImage(fn: string): Promise<FunctionImage> {
  const started = performance.now();
  const context = path.join(root, '.data/image', fn);
  const appBytes = await stageContext(fn, context);
  const name = imageName(fn);
  const previous = await imageId(name);
  const idFile = path.join(context, 'image-id');
  await buildah([
    'build',
    '--isolation',
    'chroot',
    // The base is made here (base-image.sh); a registry is never asked for it.
    '--pull=never',
    '--quiet',
    '--file',
    CONTAINERFILE,
    '--build-arg',
    `BASE=${runtimeBase()}`,
    '--build-arg',
    `FUNCTION=${fn}`,
    '--iidfile',
    idFile,
    '--tag',
    name,
    context,
  ]);
  const id = readFileSync(idFile, 'utf8')
    .trim()
    .replace(/^sha256:/, '');
  rmSync(context, { recursive: true, force: true });
  // The image this one replaces under the name: with vfs each is a full copy (~200 MB), so CI runs would pile up
  // untagged ones. One still used by a container is kept.
  if (previous !== undefined && previous !== id) await buildah(['rmi', previous]).catch(() => undefined);
  return {
    function: fn,
    name,
    id,
    size: await imageSize(name),
    appBytes,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The line the CLI and the test print for an image. */
export function describeImage(image: FunctionImage): string {
  return `${image.name.padEnd(36)} ${image.size.padStart(8)}  (function and its modules ${(image.appBytes / 1024).toFixed(0)} KiB)  built in ${image.seconds.toFixed(1)} s`;
}

async function main(names: readonly string[]): Promise<void> {
  if (names.length === 0) throw new Error('usage: npm run image -- <function...>');
  process.stdout.write(await ensureBaseImage());
  for (const fn of names) console.log(describeImage(await buildFunctionImage(fn)));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
