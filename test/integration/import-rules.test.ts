// The import rules of .dependency-cruiser.cjs (run by `npm run lint`) catch what they are there for: on a small tree
// that breaks each of them once, each rule reports its violation, and a tree that keeps them passes.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const config = path.join(root, '.dependency-cruiser.cjs');

function tree(files: Readonly<Record<string, string>>): string {
  const scratch = path.join(root, '.data', 'test-import-rules');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'tree-'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'preserve' } }));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

async function violations(dir: string): Promise<string> {
  const cli = path.join(root, 'node_modules', '.bin', 'depcruise');
  return run(cli, ['functions', 'shared', '--config', config, '--output-type', 'err'], { cwd: dir }).then(
    () => '',
    (error: unknown) => (error as { stdout?: string }).stdout ?? '',
  );
}

const pure = {
  'shared/domain/order.ts': "import { z } from 'zod';\nexport const Order = z.object({});\n",
  'functions/order/place-order/use-case.ts':
    "import { Order } from '../../../shared/domain/order';\nexport { Order };\n",
  'functions/order/place-order/index.ts': "import './use-case';\n",
};

test('a tree that keeps the rules passes', async (t) => {
  const dir = tree(pure);
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  t.is(await violations(dir), '');
});

test('each rule reports the import that breaks it', async (t) => {
  const dir = tree({
    ...pure,
    // a driver reached from a use case, through a helper of its own folder
    'functions/order/place-order/helper.ts': "import 'sequelize';\n",
    'functions/order/place-order/use-case.ts':
      "import './helper';\nimport { Order } from '../../../shared/domain/order';\nexport { Order };\n",
    // a driver imported by domain code by subpath
    'shared/domain/ledger.ts': "import 'sequelize/lib/sequelize';\n",
    // one service importing another
    'functions/user/register/index.ts': "import '../../order/place-order/index';\n",
    // a use case reaching a function's wiring, through a pure-looking helper of its own folder
    'functions/order/ship-order/use-case.ts': "import './rules';\nexport {};\n",
    'functions/order/ship-order/rules.ts': "import './function';\nexport {};\n",
    'functions/order/ship-order/function.ts': 'export {};\n',
    'functions/order/ship-order/index.ts': "import './use-case';\n",
    // shared importing a function, the test tooling and the benchmarks; a function importing the local stack
    'shared/kit/bad.ts':
      "import '../../functions/order/place-order/index';\nimport '../../test/support/x';\n" +
      "import '../../bench/probe';\n",
    'functions/user/register/seed.ts': "import '../../../dev/seed';\n",
    'test/support/x.ts': 'export {};\n',
    'bench/probe.ts': 'export {};\n',
    'dev/seed.ts': 'export {};\n',
    // a cycle
    'shared/a.ts': "import './b';\n",
    'shared/b.ts': "import './a';\n",
  });
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const report = await violations(dir);
  t.regex(
    report,
    /domain-stays-pure: functions\/order\/place-order\/use-case\.ts → (\.\.\/)*node_modules\/sequelize/,
  );
  t.regex(report, /domain-stays-pure: shared\/domain\/ledger\.ts → (\.\.\/)*node_modules\/sequelize/);
  t.regex(
    report,
    /no-cross-service: functions\/user\/register\/index\.ts → functions\/order\/place-order\/index\.ts/,
  );
  t.regex(
    report,
    /shared-is-below-functions: shared\/kit\/bad\.ts → functions\/order\/place-order\/index\.ts/,
  );
  t.regex(
    report,
    /use-case-folder-is-pure: functions\/order\/ship-order\/use-case\.ts → functions\/order\/ship-order\/function\.ts/,
  );
  t.regex(report, /product-without-tooling: shared\/kit\/bad\.ts → test\/support\/x\.ts/);
  t.regex(report, /product-without-tooling: shared\/kit\/bad\.ts → bench\/probe\.ts/);
  t.regex(report, /product-without-tooling: functions\/user\/register\/seed\.ts → dev\/seed\.ts/);
  t.regex(report, /no-circular: shared\/a\.ts →\s*shared\/b\.ts/);
  // and no rule of the config goes without a case here
  const { forbidden } = createRequire(__filename)(config) as { forbidden: readonly { name: string }[] };
  for (const { name } of forbidden) t.regex(report, new RegExp(`${name}: `), `${name} has a case`);
});
