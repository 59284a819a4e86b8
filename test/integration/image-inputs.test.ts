// skaffold rebuilds a function's image when one of its artifact's dependencies changes: those are the files its
// bundle and the telemetry SDKs beside it are built from (dev/deploy/image-inputs.ts), checked here against esbuild's own metafile of a fresh bundle,
// so an edit rebuilds and rolls the functions it touches and no other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { functionDefinition, functionFolders } from '../../dev/build';
import { FileHashes } from '../../dev/build-record';
import { bundle, bundleApart, functionEntry, modulesUnusedBy } from '../../dev/bundle';
import { imageInputs } from '../../dev/deploy/image-inputs';

const root = path.resolve(__dirname, '../..');
const folderOf = (name: string) => {
  const folder = functionFolders().find((candidate) => candidate.name === name);
  if (!folder) throw new Error(`no function ${name}`);
  return folder;
};

for (const name of ['register', 'place-order', 'user-grpc']) {
  test(`${name}: the image's dependencies are every project file of its bundle's metafile, and the build's own files`, async (t) => {
    const folder = folderOf(name);
    const out = mkdtempSync(path.join(tmpdir(), 'metafile-'));
    t.teardown(() => {
      rmSync(out, { recursive: true, force: true });
    });
    const leaveOut = modulesUnusedBy(functionDefinition(folder)).map((file) => path.join(root, file));
    const { inputs } = await bundle(functionEntry(root, folder.entry, name), path.join(out, 'function.js'), {
      leaveOut,
    });
    // The telemetry SDKs, bundled beside the function's bundle (dev/build.ts), are part of its image too.
    const apart = await bundleApart(root, out);
    const project = [...new Set([...inputs, ...apart.flatMap((result) => result.inputs)])]
      .map((file) => path.relative(root, file))
      .filter((file) => !file.startsWith('node_modules/'))
      .sort();
    const listed = await imageInputs(name);
    t.deepEqual(
      listed.filter(
        (file) => !file.startsWith('dev/') && !file.startsWith('patches/') && !file.startsWith('proto/'),
      ),
      [...project, 'Dockerfile', 'package-lock.json', 'package.json'].sort(),
    );
    t.true(listed.includes('dev/bundle.ts'), 'the bundler shapes every image');
  });
}

test('an edit to one function rebuilds that function alone; an edit to the order domain, the order functions that use it', async (t) => {
  const hashes = new FileHashes();
  const all = await Promise.all(
    functionFolders().map(async ({ name }) => ({ name, inputs: await imageInputs(name, hashes) })),
  );
  const dependents = (file: string) =>
    all.filter(({ inputs }) => inputs.includes(file)).map(({ name }) => name);
  t.deepEqual(dependents('functions/order/place-order/use-case.ts'), ['place-order']);
  const saga = dependents('shared/domain/order/order-saga.ts');
  t.true(saga.length > 0);
  t.true(
    saga.every((name) => functionDefinition(folderOf(name)).service.name === 'order'),
    `order-saga.ts is built into ${saga.join(', ')}`,
  );
});
