// Lint rules: typescript-eslint's strict, type-aware set; formatting is prettier's job; the import rules
// (domain code imports no driver, no service imports another) are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // bench/fixtures: plain Node scripts measured as they are (the floor of the cold-start benchmark).
  // proto/generated: proto-loader-gen-types' output (dev/proto-types.ts), checked for freshness by a test.
  {
    ignores: ['node_modules/', 'dist/', '.data/', 'knative/', 'kong/', 'bench/fixtures/', 'proto/generated/'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '.dependency-cruiser.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
);
