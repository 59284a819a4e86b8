import { build, type Metafile } from 'esbuild';

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

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
}

/** Bundles one entry point into one CommonJS file for Node 20, with a source map for readable stack traces. */
export async function bundle(entry: string, outfile: string): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    minifySyntax: true,
    legalComments: 'linked',
    external: [...EXTERNAL_MODULES],
    metafile: true,
    logLevel: 'error',
  });
  return { outfile, bytes: outputBytes(result.metafile, outfile) };
}

function outputBytes(metafile: Metafile, outfile: string): number {
  const entry = Object.entries(metafile.outputs).find(([file]) => outfile.endsWith(file));
  return entry?.[1].bytes ?? 0;
}
