import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { FunctionDefinition } from '../shared/kit/function-definition';
import { checksTokens, confirmsSessionsRemotely } from '../shared/kit/function-env';

/**
 * Modules a function bundle never inlines. Sequelize references every dialect's driver; we hand it ours as
 * `dialectModule`, so the others are never loaded. sqlite3 is a native addon (only the embedded local stack uses
 * it), kerberos is an optional native addon of cassandra-driver and @node-rs/argon2 loads a platform-specific
 * addon: they stay outside and are installed beside the bundle where they are needed.
 */
export const EXTERNAL_MODULES = [
  'sqlite3',
  'pg',
  'pg-hstore',
  'pg-native',
  'tedious',
  'mariadb',
  'oracledb',
  'ibm_db',
  'snowflake-sdk',
  'kerberos',
  '@node-rs/argon2',
] as const;

/**
 * Externals a deployed function never loads: sqlite3 serves only the embedded local stack (DB_DIALECT=sqlite); on
 * the cluster every service uses MySQL. Images leave them out (and skip compiling the addon).
 */
export const EMBEDDED_ONLY_MODULES: readonly string[] = ['sqlite3'];

/**
 * sequelize calls moment-timezone's API but never needs its zone data: every connection keeps UTC as the offset
 * '+00:00', which moment treats as an offset, not a zone. The core without the data is ~700 KiB less to load at
 * every cold start.
 */
const momentTimezoneWithoutData: Plugin = {
  name: 'moment-timezone-without-data',
  setup(build) {
    build.onResolve({ filter: /^moment-timezone$/ }, () => ({
      path: require.resolve('moment-timezone/moment-timezone.js'),
    }));
  },
};

/**
 * Modules of shared/ that the kit loads only for some functions (with `import()`, so loading them is deferred to
 * their first use): left out of the bundles of functions that never use them, so a bundle holds only what its
 * function can run. A module left out throws when loaded, naming the declaration that would bring it in.
 */
export function modulesUnusedBy(definition: FunctionDefinition): string[] {
  const { trigger, uses } = definition;
  // A function that reads another service's gRPC address (USER_GRPC_ADDRESS, PRODUCT_GRPC_ADDRESS) calls that
  // sidecar, so it loads protos (notify, admin routes elsewhere, place-order).
  const callsGrpc = definition.config.env.some((variable) => variable.endsWith('_GRPC_ADDRESS'));
  return [
    ...(trigger.kind === 'grpc'
      ? [
          'shared/runtime/function-server.ts',
          'shared/runtime/http-function.ts',
          'shared/outbox/relay-handler.ts',
          'shared/runtime/scheduled-handler.ts',
        ]
      : ['shared/grpc/start-grpc-server.ts', ...(callsGrpc ? [] : ['shared/grpc/load-proto.ts'])]),
    ...(trigger.kind === 'cloudevent' ? [] : ['shared/runtime/cloud-event-function.ts']),
    ...(trigger.kind === 'dead-letters' ? [] : ['shared/runtime/dead-letter-function.ts']),
    ...((uses.histories?.length ?? 0) > 0
      ? []
      : [
          'shared/kit/cassandra-histories.ts',
          'shared/cassandra/create-cassandra-client.ts',
          'shared/history/sql-history-store.ts',
        ]),
    ...(trigger.kind === 'cloudevent' ? [] : ['shared/idempotency/sql-once-per-event.ts']),
    ...(uses.events
      ? []
      : [
          'shared/messaging/http-event-sink.ts',
          'shared/messaging/kafka-event-sink.ts',
          'shared/kafka/create-kafka.ts',
        ]),
    ...(checksTokens(trigger) ? [] : ['shared/auth/authorization-verifier.ts']),
    ...(confirmsSessionsRemotely(trigger, definition.service)
      ? []
      : ['shared/auth/user-grpc-session-lookup.ts', 'shared/auth/cached-session-lookup.ts']),
  ];
}

/** A module bundled into a file of its own beside each function's bundle, and the module that imports it. */
export interface ApartModule {
  readonly module: string;
  readonly file: string;
  readonly importer: string;
}

/**
 * The telemetry SDKs, each bundled apart: a function loads one only when its OTEL_* settings turn it on (with
 * `import()`, which becomes a require of the file beside the bundle), so with telemetry off none of their code is
 * parsed at cold start. Inside the bundle the tracing SDK alone cost every cold start 20-60 ms and 2 MiB. The span
 * exporter is apart from the tracing SDK in turn: it loads at the first export, after the first answer.
 */
export const APART_MODULES: readonly ApartModule[] = [
  {
    module: 'shared/tracing/tracing-sdk.ts',
    file: 'tracing-sdk.js',
    importer: 'shared/tracing/start-tracing.ts',
  },
  {
    module: 'shared/tracing/span-exporter.ts',
    file: 'span-exporter.js',
    importer: 'shared/tracing/tracing-sdk.ts',
  },
  // The same for metrics: the SDK when OTEL_METRICS_EXPORTER is on, its OTLP exporter at the first export.
  {
    module: 'shared/metrics/metrics-sdk.ts',
    file: 'metrics-sdk.js',
    importer: 'shared/metrics/start-metrics.ts',
  },
  {
    module: 'shared/metrics/metric-exporter.ts',
    file: 'metric-exporter.js',
    importer: 'shared/metrics/metrics-sdk.ts',
  },
];

/** Each apart module's `import('./<name>')` in its importer becomes a require of `./<file>` (built by dev/build.ts). */
const modulesApart: Plugin = {
  name: 'modules-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => {
      const apart = APART_MODULES.find(
        (candidate) =>
          args.importer.endsWith(path.normalize(candidate.importer)) &&
          args.path === `./${path.basename(candidate.module, '.ts')}`,
      );
      return apart ? { path: `./${apart.file}`, external: true } : undefined;
    });
  },
};

/**
 * Bundles every apart module into `outDir`. The SDKs' packages ship ES modules beside CommonJS: reading those
 * (`module` first) lets esbuild drop what is never used (semantic-conventions' CommonJS entry alone is 200 KB), which
 * cuts the tracing SDK from 700 KB to 110 KB and its load from ~22 ms to ~5 ms.
 */
export async function bundleApart(root: string, outDir: string): Promise<BundleResult[]> {
  return Promise.all(
    APART_MODULES.map(({ module, file }) =>
      bundle(path.join(root, module), path.join(outDir, file), { mainFields: ['module', 'main'] }),
    ),
  );
}

/** Replaces each of `files` (absolute paths) with a module that throws when loaded. */
function leaveOut(files: readonly string[], why: string): Plugin {
  const leftOut = new Set(files);
  return {
    name: 'leave-out',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) =>
        leftOut.has(args.path)
          ? {
              loader: 'js',
              contents: `throw new Error(${JSON.stringify(`${args.path} is not in this bundle: ${why}`)});`,
            }
          : undefined,
      );
    },
  };
}

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  /** The packages of EXTERNAL_MODULES the bundle imports (statically, lazily or dynamically), sorted. */
  readonly externals: readonly string[];
  /** Every file esbuild read for it (absolute paths): what a rebuild must look at (dev/build-record.ts). */
  readonly inputs: readonly string[];
}

/** An entry file, or an entry written here (resolved from `resolveDir`). */
export type BundleEntry =
  string | { readonly contents: string; readonly resolveDir: string; readonly name: string };

/**
 * The entry of a function's bundle: its index.ts registers the function (shared/kit/register.ts), then the kit
 * starts it in this process.
 */
export function functionEntry(root: string, indexFile: string, name: string): BundleEntry {
  const relative = (file: string) => `./${path.relative(root, file).split(path.sep).join('/')}`;
  return {
    name: `${name}-entry.ts`,
    resolveDir: root,
    contents: [
      `import ${JSON.stringify(relative(indexFile))};`,
      `import { startFunction } from ${JSON.stringify(relative(path.join(root, 'shared/kit/start-function.ts')))};`,
      `void startFunction(${JSON.stringify(name)});`,
      '',
    ].join('\n'),
  };
}

/**
 * The entry of a service's migration program (dist/<service>-migrate/, what its migration Job runs): the service's
 * declaration (`exportName` of its service.ts) handed to the kit's program, whose exit code the process ends with.
 */
export function migrationEntry(
  root: string,
  serviceFile: string,
  exportName: string,
  bundleName: string,
): BundleEntry {
  const relative = (file: string) => `./${path.relative(root, file).split(path.sep).join('/')}`;
  const program = relative(path.join(root, 'shared/kit/migrate-service.ts'));
  const logger = relative(path.join(root, 'shared/log/logger.ts'));
  return {
    name: `${bundleName}-entry.ts`,
    resolveDir: root,
    contents: [
      `import { ${exportName} as service } from ${JSON.stringify(relative(serviceFile))};`,
      `import { runMigrationProgram } from ${JSON.stringify(program)};`,
      `import { createLogger } from ${JSON.stringify(logger)};`,
      `void runMigrationProgram(service, { logger: createLogger(${JSON.stringify(bundleName)}) }).then((code) => {`,
      '  process.exitCode = code;',
      '});',
      '',
    ].join('\n'),
  };
}

/** Bundles one entry point into one CommonJS file for Node 20, with a source map for readable stack traces. */
export async function bundle(
  entry: BundleEntry,
  outfile: string,
  options: {
    readonly leaveOut?: readonly string[];
    readonly why?: string;
    /** package.json fields to resolve a package by, in order (esbuild's default for Node: main, then module). */
    readonly mainFields?: readonly string[];
  } = {},
): Promise<BundleResult> {
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: entry.resolveDir,
            sourcefile: entry.name,
            loader: 'ts',
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // import() of an external becomes require(): the loader runs the bundle as a vm.Script (for the code cache),
    // where a real dynamic import has no module loader behind it.
    supported: { 'dynamic-import': false },
    format: 'cjs',
    ...(options.mainFields ? { mainFields: [...options.mainFields] } : {}),
    charset: 'ascii',
    sourcemap: 'linked',
    minifySyntax: true,
    legalComments: 'linked',
    external: [...EXTERNAL_MODULES],
    plugins: [
      modulesApart,
      momentTimezoneWithoutData,
      leaveOut(options.leaveOut ?? [], options.why ?? 'the function does not declare what it needs'),
    ],
    metafile: true,
    logLevel: 'error',
  });
  const code = escapeNonAscii(readFileSync(outfile, 'utf8'));
  writeFileSync(outfile, code);
  const output = outputOf(result.metafile, outfile);
  // Paths in the metafile are relative to the working directory; an entry written here is no file.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => typeof entry === 'string' || input !== entry.name)
    .map((input) => path.resolve(input));
  return { outfile, bytes: code.length, externals: externalPackages(output?.imports ?? []), inputs };
}

/**
 * esbuild escapes non-ASCII characters in strings and identifiers but leaves them in regular expressions and
 * comments; escaping those too makes the bundle pure ASCII, so the loader reads it as Latin-1 (several times faster
 * than decoding UTF-8) and V8 keeps it as a one-byte string (half the memory). `\uXXXX` means the same UTF-16
 * code unit in a regular expression, with or without the `u` flag (a surrogate pair stays a pair).
 */
export function escapeNonAscii(code: string): string {
  return code.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Output = Metafile['outputs'][string];

function outputOf(metafile: Metafile, outfile: string): Output | undefined {
  return Object.entries(metafile.outputs).find(([file]) => outfile.endsWith(file))?.[1];
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; only the modules declared external above. */
function externalPackages(imports: Output['imports']): string[] {
  const declared = new Set<string>(EXTERNAL_MODULES);
  const names = imports
    .filter((imported) => imported.external)
    .map(({ path }) =>
      path
        .split('/')
        .slice(0, path.startsWith('@') ? 2 : 1)
        .join('/'),
    )
    .filter((name) => declared.has(name));
  return [...new Set(names)].sort();
}
