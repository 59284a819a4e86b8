// A service's migration image lists as its inputs exactly what its program's bundle is built from (skaffold's
// `custom.dependencies.command`): an edit to another service, or to a function's own code, does not rebuild it.
import test from 'ava';
import { imageInputs } from '../../dev/deploy/image-inputs';

test('the user migration image depends on the user service and the kit, not on other services or functions', async (t) => {
  const inputs = await imageInputs('user-migrate');
  for (const needed of [
    'Dockerfile',
    'package-lock.json',
    'dev/bundle.ts',
    'functions/user/service.ts',
    'functions/user/user-migrations.ts',
    'shared/kit/migrate-service.ts',
    'shared/sql/migrate.ts',
  ])
    t.true(inputs.includes(needed), needed);
  t.false(
    inputs.some((file) => file.startsWith('functions/order/') || file.startsWith('functions/product/')),
    'no other service',
  );
  t.false(
    inputs.some((file) => file.startsWith('functions/user/register/')),
    'no function of its own service',
  );
});

test('an unknown name is refused', async (t) => {
  await t.throwsAsync(imageInputs('nobody-migrate'), { message: /no such function or migration program/ });
});
