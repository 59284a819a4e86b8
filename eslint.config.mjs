// Lint rules: typescript-eslint's strict, type-aware set; formatting is prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Drivers that domain code must never import: it stays testable with in-memory ports. */
const drivers = ['sequelize', 'mysql2', 'sqlite3', 'kafkajs', 'cassandra-driver', '@grpc/grpc-js', 'umzug'];

export default defineConfig(
  // bench/fixtures: plain Node scripts measured as they are (the floor of the cold-start benchmark).
  { ignores: ['node_modules/', 'dist/', '.data/', 'knative/', 'kong/', 'bench/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: [
      'shared/domain/**',
      'shared/auth/**',
      'events/**',
      'functions/*/*/use-case.ts',
      'functions/*/*/*-use-case.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: drivers.map((name) => ({ name, message: 'Domain code imports no drivers: use a port.' })) },
      ],
    },
  },
);
