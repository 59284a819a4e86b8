// `npm start` and the tests build before they run: a bundle is rebuilt only when what it was built from changed
// (dev/build-record.ts), and never kept when anything it read differs.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { buildFunction, functionFolders } from '../../dev/build';
import { FileHashes, readBuildRecord, writeBuildRecord } from '../../dev/build-record';

const root = path.resolve(__dirname, '../..');
const scratch = path.join(root, '.data/test-bundles');

/** A scratch dist/ the test removes when it ends, and the function it builds there (logout). */
function scratchBuild(t: ExecutionContext, prefix: string) {
  t.timeout(180_000);
  mkdirSync(scratch, { recursive: true });
  const dist = mkdtempSync(path.join(scratch, prefix));
  t.teardown(() => {
    rmSync(dist, { recursive: true, force: true });
  });
  const folder = functionFolders().find((candidate) => candidate.name === 'logout');
  if (!folder) throw new Error('no logout function');
  return { dist, folder };
}

test('a bundle is kept while its inputs are unchanged, and rebuilt when one differs or its cache is gone', async (t) => {
  const { dist, folder } = scratchBuild(t, 'incremental-');
  const bundleFile = path.join(dist, 'logout', 'function.js');

  t.regex(await buildFunction(folder, dist), /built$/);
  const built = statSync(bundleFile).mtimeMs;
  t.regex(await buildFunction(folder, dist), /unchanged$/);
  t.is(statSync(bundleFile).mtimeMs, built, 'the kept bundle is not rewritten');

  // One input the record names, as if its file had been edited since: the whole bundle is built again.
  const recordFile = path.join(dist, '.records', 'logout.json');
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { inputs: Record<string, string> };
  const inputs = Object.keys(record.inputs);
  t.true(inputs.includes('functions/user/logout/index.ts'), 'the function folder is an input');
  t.true(
    inputs.some((input) => input.startsWith('node_modules/')),
    'so are the libraries it bundles',
  );
  writeFileSync(
    recordFile,
    JSON.stringify({ ...record, inputs: { ...record.inputs, 'shared/kit/register.ts': 'edited' } }),
  );
  t.regex(await buildFunction(folder, dist), /built$/);
  t.regex(await buildFunction(folder, dist), /unchanged$/);

  // A bundle without its code cache (a build that stopped half-way) is never taken for a finished one.
  rmSync(path.join(dist, 'logout', 'function.js.cache'));
  t.regex(await buildFunction(folder, dist), /built$/);
  t.true(statSync(path.join(dist, 'logout', 'function.js.cache')).size > 0);
});

test('two builds of one bundle asked at once in one process both answer, and leave one whole bundle', async (t) => {
  const { dist, folder } = scratchBuild(t, 'concurrent-');
  const [first, second] = await Promise.all([buildFunction(folder, dist), buildFunction(folder, dist)]);
  t.regex(first, /built$/);
  t.regex(second, /built$/);
  t.true(statSync(path.join(dist, 'logout', 'function.js.cache')).size > 0);
  t.deepEqual(
    readdirSync(dist).filter((name) => name.includes('building') || name.includes('.old-')),
    [],
    'no half-built folder is left',
  );
  t.regex(await buildFunction(folder, dist), /unchanged$/);
});

test('a bundle whose input changed while it was built gets no record, so the next build rebuilds it', (t) => {
  mkdirSync(scratch, { recursive: true });
  const dist = mkdtempSync(path.join(scratch, 'record-'));
  t.teardown(() => {
    rmSync(dist, { recursive: true, force: true });
  });
  const input = path.join(dist, 'input.ts');
  writeFileSync(input, 'export const before = 1;\n');
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(input, minuteAgo, minuteAgo);

  writeBuildRecord(dist, 'steady', 'recipe', [input], dist, new FileHashes(), Date.now());
  t.deepEqual(readBuildRecord(dist, 'steady')?.inputs, { 'input.ts': new FileHashes().of(input) });

  // The build read the input's old contents; it is edited before the record is written, which hashes the new ones.
  const startedAt = Date.now();
  writeFileSync(input, 'export const after = 2;\n');
  writeBuildRecord(dist, 'edited', 'recipe', [input], dist, new FileHashes(), startedAt);
  t.is(readBuildRecord(dist, 'edited'), undefined);
});
