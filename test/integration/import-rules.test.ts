// The import rules of .dependency-cruiser.cjs (run by `npm run lint`) catch what they are there for: on a small tree
// that breaks each of them once, each rule reports its violation, and a tree that keeps them passes.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

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
  const config = path.join(root, '.dependency-cruiser.cjs');
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
    // shared importing a function, and the test tooling
    'shared/kit/bad.ts':
      "import '../../functions/order/place-order/index';\nimport '../../test/support/x';\n",
    'test/support/x.ts': 'export {};\n',
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
  t.regex(report, /product-without-tooling: shared\/kit\/bad\.ts → test\/support\/x\.ts/);
  t.regex(report, /no-circular: shared\/a\.ts →\s*shared\/b\.ts/);
});
