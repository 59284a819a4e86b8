// `npm run new-function` makes functions that are done as far as the tooling goes: in a copy of the repository, an
// HTTP function, a CloudEvent function and a gRPC sidecar (for a service without one: the order service as it was) pass the type check, lint,
// formatting and import rules, the generator (the committed-files freshness test and the config test), the
// manifest validation, and the tests the scaffold wrote for them.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const validator = path.resolve(root, '../shared/tools/validate-manifests.mjs');

/** The tracked files of the repository (as committed or changed in the work tree), copied with node_modules linked. */
async function copyOfRepository(): Promise<string> {
  const scratch = path.join(root, '.data', 'test-scaffold');
  mkdirSync(scratch, { recursive: true });
  const copy = mkdtempSync(path.join(scratch, 'repo-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(root, file))) continue; // deleted in the work tree
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(copy, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

test('new-function writes HTTP, CloudEvent and gRPC functions that pass every check and their own tests', async (t) => {
  t.timeout(300_000);
  const copy = await copyOfRepository();
  t.teardown(() => {
    rmSync(copy, { recursive: true, force: true });
  });
  const inCopy = (command: string, args: readonly string[]) =>
    run(command, args, { cwd: copy, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env } });
  const scaffold = (...args: string[]) =>
    inCopy(process.execPath, ['--import', 'tsx', 'dev/scaffold/new-function.ts', ...args]);

  const http = await scaffold('product/price-check', '--http');
  await scaffold('order/welcome-log', '--event', 'com.ecom.user.registered');
  // Every service has its sidecar now: one is refused, and the gRPC template is tried on the order service as it
  // was before its sidecar, which the copy forgets.
  const second = await scaffold('order/order-sidecar', '--grpc').then(
    () => 'written',
    (error: unknown) => (error as { stderr?: string }).stderr ?? '',
  );
  t.regex(second, /proto\/order\.proto exists/, 'one sidecar per service');
  for (const file of [
    'proto/order.proto',
    'functions/order/order-grpc',
    'test/integration/order-grpc.test.ts',
  ]) {
    rmSync(path.join(copy, file), { recursive: true });
  }
  await scaffold('order/order-grpc', '--grpc');
  const created = [...http.stdout.matchAll(/^created {3}(\S+)$/gm)].map((match) => match[1] ?? '');
  // The product service exists, so its declaration is not written again.
  t.deepEqual(created, [
    'functions/product/price-check/function.ts',
    'functions/product/price-check/index.ts',
    'functions/product/price-check/use-case.ts',
    'test/integration/price-check.test.ts',
  ]);
  // Its row in the README's function table, in the product service's rows.
  t.regex(
    readFileSync(path.join(copy, 'README.md'), 'utf8'),
    /^\| `create-product` [^\n]*\n(?:\| `[a-z-]+` +\| product [^\n]*\n)*\| `price-check` +\| product +\| `GET \/v1\/price-check` \(signed in\) +\| answers who is calling +\|$/m,
  );
  // What a new HTTP use case takes, from the scaffold: its three files and its test.
  const lines = created.map((file) => readFileSync(path.join(copy, file), 'utf8').split('\n').length - 1);
  t.log(
    `an HTTP function from the scaffold: ${lines.length} files, ${lines.reduce((a, b) => a + b, 0)} lines`,
  );

  const again = await scaffold('order/welcome-log', '--http').then(
    () => 'written',
    (error: unknown) => (error as { stderr?: string }).stderr ?? '',
  );
  t.regex(again, /a function welcome-log exists/, 'an existing function is never overwritten');

  await inCopy('npx', ['tsc', '-p', 'tsconfig.json']);
  await inCopy('npx', ['eslint', 'functions', 'test/integration', 'dev/scaffold']);
  await inCopy('npx', ['prettier', '--check', 'functions', 'test', 'proto']);
  await inCopy('npm', ['run', '--silent', 'lint:imports']);
  if (existsSync(validator)) await inCopy(process.execPath, [validator, copy]);
  const tests = await inCopy('npx', [
    'ava',
    'test/integration/price-check.test.ts',
    'test/integration/welcome-log.test.ts',
    'test/integration/order-grpc.test.ts',
    'test/unit/deployment-files.test.ts',
    'test/unit/function-definitions.test.ts',
    'test/integration/function-config.test.ts',
  ]);
  t.regex(tests.stdout, /\d+ tests passed/);
  t.notRegex(tests.stdout, /failed|✘/);
});
