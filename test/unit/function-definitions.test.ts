import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { functionDefinition, functionFolders } from '../../dev/build';
import { modulesUnusedBy } from '../../dev/bundle';
import { EVENT_CATALOG } from '../../events/catalog';
import type { FunctionDefinition } from '../../shared/kit/function-definition';

const definitions: FunctionDefinition[] = functionFolders().map((folder) => functionDefinition(folder));

test('every function folder declares itself under its own kebab-case name, scaling to zero', (t) => {
  t.true(definitions.length >= 10);
  for (const definition of definitions) {
    t.regex(definition.name, /^[a-z]+(?:-[a-z]+)*$/);
    t.is(definition.scaling.minScale, 0, definition.name);
    t.true(definition.scaling.containerConcurrency >= definition.scaling.target, definition.name);
    t.true(definition.config.env.includes('LOG_LEVEL'), definition.name);
  }
});

test('no two functions claim the same HTTP route', (t) => {
  const claimed = new Map<string, string>();
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'http') continue;
    for (const route of definition.trigger.routes) {
      const key = `${route.method} ${route.path}`;
      t.is(claimed.get(key), undefined, `${key} claimed by ${claimed.get(key) ?? ''} and ${definition.name}`);
      claimed.set(key, definition.name);
      t.regex(route.path, /^\/v1\//);
    }
  }
});

test('CloudEvent functions subscribe only to types of the event catalog', (t) => {
  for (const definition of definitions) {
    if (definition.trigger.kind !== 'cloudevent') continue;
    for (const type of definition.trigger.eventTypes)
      t.truthy(EVENT_CATALOG[type], `${definition.name}: ${type}`);
  }
});

test('secrets are never also plain settings', (t) => {
  for (const { name, config } of definitions) {
    t.deepEqual(
      config.secrets.filter((secret) => config.env.includes(secret)),
      [],
      name,
    );
  }
});

test("a function that reads another service's gRPC address keeps the gRPC client's proto loader in its bundle", (t) => {
  // place-order's bundle once left it out, and every order failed with a 500 outside the tests (in process, not bundled).
  const callers = definitions.filter((definition) =>
    definition.config.env.some((variable) => variable.endsWith('_GRPC_ADDRESS')),
  );
  t.true(callers.some((definition) => definition.name === 'place-order'));
  for (const definition of callers) {
    t.false(modulesUnusedBy(definition).includes('shared/grpc/load-proto.ts'), definition.name);
  }
});

test("the README's function table lists every function, under its service, and nothing else", (t) => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  // Rows as `| \`<name>\` | <service> | <trigger> | <what it does> |`.
  const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` +\| ([a-z]+) +\|/gm)].map(([, name, service]) => ({
    name,
    service,
  }));
  t.deepEqual(
    rows.sort((a, b) => String(a.name).localeCompare(String(b.name))),
    functionFolders().map(({ name, service }) => ({ name, service })),
  );
});
