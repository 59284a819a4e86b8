// Two processes building the same bundle into one dist/ at once (two test workers, or `npm start` beside the tests,
// finding it out of date) both finish, and leave one whole bundle: dev/move-into-place.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const builder = path.join(root, 'test/fixtures/move-builds-into-place.ts');

test('two processes moving their builds of one bundle into place at once both succeed, and one whole bundle stays', async (t) => {
  t.timeout(120_000);
  const scratch = path.join(root, '.data/test-bundles');
  mkdirSync(scratch, { recursive: true });
  const dist = mkdtempSync(path.join(scratch, 'move-'));
  t.teardown(() => {
    rmSync(dist, { recursive: true, force: true });
  });
  // Enough rounds that the two processes' renames interleave: the rename-aside-then-in of the build before this
  // module failed within them (ENOTEMPTY, or ENOENT on the folder the other had just moved aside).
  const rounds = '1500';
  const builders = [0, 1].map(() =>
    run(process.execPath, ['--import', 'tsx', builder, dist, rounds], { cwd: root }),
  );
  await t.notThrowsAsync(Promise.all(builders));
  t.deepEqual(readdirSync(dist), ['bundle'], 'no half-moved folder is left');
  t.deepEqual(readdirSync(path.join(dist, 'bundle')).sort(), ['function.js', 'function.js.cache']);
  t.regex(readFileSync(path.join(dist, 'bundle', 'function.js'), 'utf8'), /^\/\/ \d+, round \d+\n$/);
});
