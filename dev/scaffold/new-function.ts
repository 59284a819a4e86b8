// `npm run new-function -- <service>/<name> --http | --event <type> | --grpc`: writes a new function folder that
// works as it is (its declaration, wiring, use case, and a test that serves it), the service's declaration when the
// service has none yet, and for a gRPC sidecar the service's proto; adds the function's row to the README's function
// table; then renders the deployment files and the proto types (`npm run generate`), so the new function is
// deployable at once. It never overwrites a file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as prettier from 'prettier';
import { functionFolders } from '../build';
import { generate } from '../deploy/generate';
import {
  eventFunction,
  grpcFunction,
  grpcProto,
  httpFunction,
  serviceFile,
  type Names,
  type Template,
} from './templates';

const root = path.resolve(__dirname, '../..');
const load = createRequire(__filename);
const SERVICES = ['user', 'product', 'order'];

export type Kind =
  { readonly kind: 'http' } | { readonly kind: 'event'; readonly type: string } | { readonly kind: 'grpc' };

/** The arguments as the command takes them; throws a usage error naming what is wrong. */
export function parseArguments(args: readonly string[]): { names: Names; kind: Kind } {
  const [target, flag, type] = args;
  const [service = '', name = ''] = (target ?? '').split('/');
  if (!SERVICES.includes(service)) throw new Error(`the service must be one of ${SERVICES.join(', ')}`);
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) throw new Error('the function name must be kebab-case');
  const names: Names = {
    service,
    name,
    camel: name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    Service: service.charAt(0).toUpperCase() + service.slice(1),
  };
  if (flag === '--http') return { names, kind: { kind: 'http' } };
  if (flag === '--grpc') return { names, kind: { kind: 'grpc' } };
  if (flag === '--event' && type) return { names, kind: { kind: 'event', type } };
  throw new Error('say what triggers it: --http, --event <type> or --grpc');
}

/** The events/ module and export that define a CloudEvent type. */
function eventModule(type: string): { file: string; exported: string } {
  const files = readdirSync(path.join(root, 'events')).filter(
    (file) => file.endsWith('.ts') && !['catalog.ts', 'event-definition.ts'].includes(file),
  );
  for (const file of files) {
    const exports = load(path.join(root, 'events', file)) as Record<string, { type?: unknown }>;
    for (const [exported, value] of Object.entries(exports)) {
      if (value.type === type) return { file: file.replace(/\.ts$/, ''), exported };
    }
  }
  throw new Error(`no event of type ${type} in events/: add its schema there first`);
}

/** What to write for a new function. Throws when the function exists or the service already has a sidecar. */
export function plan(names: Names, kind: Kind): Template[] {
  const { service, name } = names;
  if (functionFolders().some((folder) => folder.name === name)) throw new Error(`a function ${name} exists`);
  const templates: Template[] = [];
  if (!existsSync(path.join(root, 'functions', service, 'service.ts'))) templates.push(serviceFile(names));
  switch (kind.kind) {
    case 'http':
      return [...templates, ...httpFunction(names)];
    case 'event':
      return [...templates, ...eventFunction(names, eventModule(kind.type))];
    case 'grpc':
      // One sidecar per service, serving the service's one proto.
      if (existsSync(path.join(root, 'proto', `${service}.proto`))) {
        throw new Error(
          `proto/${service}.proto exists: the ${service} service has its sidecar; add methods there`,
        );
      }
      return [...templates, grpcProto(names), ...grpcFunction(names)];
  }
}

/** A row of the README's function table: its name and its service. */
const TABLE_ROW = /^\| `([a-z0-9-]+)` +\| ([a-z]+) +\|/;

/** The function's row in the README's function table: what the template declares, as a user reads it. */
function readmeRow({ service, name, Service }: Names, kind: Kind): string {
  const [trigger, does] =
    kind.kind === 'http'
      ? [`\`GET /v1/${name}\` (signed in)`, 'answers who is calling']
      : kind.kind === 'event'
        ? [`CloudEvent \`${kind.type}\``, `handles each \`${kind.type}\` event once`]
        : [`gRPC \`ecom.${service}.v1.${Service}Service\` + health`, '`WhoAmI`: who is calling'];
  return `| \`${name}\` | ${service} | ${trigger} | ${does} |`;
}

/**
 * The README with `row` added to its function table after the last row of the function's service (or the table's
 * last row); unchanged when the table has a row of that name already.
 */
function withReadmeRow(readme: string, { service, name }: Names, row: string): string {
  const lines = readme.split('\n');
  const rows = lines.flatMap((line, index) => {
    const match = TABLE_ROW.exec(line);
    return match ? [{ index, name: match[1], service: match[2] }] : [];
  });
  if (rows.some((existing) => existing.name === name)) return readme;
  const last = rows.filter((existing) => existing.service === service).at(-1) ?? rows.at(-1);
  if (!last) throw new Error('README.md has no function table');
  lines.splice(last.index + 1, 0, row);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { names, kind } = parseArguments(process.argv.slice(2));
  const templates = plan(names, kind);
  for (const { path: file } of templates) {
    if (existsSync(path.join(root, file))) throw new Error(`${file} exists; nothing was written`);
  }
  for (const { path: file, content } of templates) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    // Written as `npm run format` would leave it, whatever the template's line lengths.
    const options = await prettier.resolveConfig(target);
    writeFileSync(
      target,
      file.endsWith('.ts') ? await prettier.format(content, { ...options, filepath: target }) : content,
    );
    console.log(`created   ${file}`);
  }
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const withRow = withReadmeRow(readme, names, readmeRow(names, kind));
  if (withRow !== readme) {
    const options = await prettier.resolveConfig(readmePath);
    writeFileSync(readmePath, await prettier.format(withRow, { ...options, filepath: readmePath }));
    console.log("added     its row to the README's function table");
  }
  await generate();
  console.log(
    `\nNext: write the rules in functions/${names.service}/${names.name}/use-case.ts, run its test with`,
  );
  console.log(
    `npx ava test/integration/${names.name}.test.ts, and say what it does in its row of the README's table.`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`new-function: ${error instanceof Error ? error.message : String(error)}`);
    console.error('usage: npm run new-function -- <service>/<name> --http | --event <type> | --grpc');
    process.exitCode = 1;
  });
}
